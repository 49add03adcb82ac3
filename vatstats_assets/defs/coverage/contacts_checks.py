"""Checks on atc_contacts: the table's own, and the rules every contact keeps (atc_contacts_violations.sql)."""

from datetime import timedelta

import dagster as dg
import sqlalchemy as sa

from vatstats_assets.core.coverage_rules import HALF_INTERVAL_S
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.defs.table_checks import checked_window, daily_check, table_checks, window_text
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import ATC_CONTACTS

# name -> what a row breaking it would mean
RULES = {
    "outside_connections": "reaches outside the time both connections were online",
    "overlapping": "overlaps another contact of the same pilot, controller and channel",
    "over_midnight": "runs past the midnight after it starts",
}


def contact_rules_check(partitions: dg.DailyPartitionsDefinition) -> dg.AssetChecksDefinition:
    @daily_check(
        asset="atc_contacts", name="contacts_within_connections", partitions=partitions,
        description="Every contact lies within the time both its connections were online (to half a snapshot "
                    "interval), no two contacts of a pair overlap, and none runs past midnight.",
    )
    def contacts_within_connections(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        with warehouse.engine.connect() as conn:
            counts = conn.execute(sa.text(query("atc_contacts_violations")), {
                "window_start": window.start, "window_end": window.end,
                "half_interval": timedelta(seconds=HALF_INTERVAL_S)}).one()._asdict()
        broken = [f"{counts[name]} {text}" for name, text in RULES.items() if counts[name]]
        return dg.AssetCheckResult(
            passed=not broken,
            description=(f"In {window_text(window)}: " + "; ".join(broken)) if broken
            else f"Every contact in {window_text(window)} keeps the rules.",
            metadata={name: int(counts[name]) for name in RULES},
        )

    return contacts_within_connections


def contacts_checks(partitions: dg.DailyPartitionsDefinition) -> list[dg.AssetChecksDefinition]:
    return [contact_rules_check(partitions), *table_checks("atc_contacts", ATC_CONTACTS, partitions)]
