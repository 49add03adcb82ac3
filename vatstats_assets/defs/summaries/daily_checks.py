"""Checks on the daily summaries: the tables' own, and no controller online more than a day."""

import dagster as dg
import sqlalchemy as sa

from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.defs.table_checks import checked_window, daily_check, rule_check, table_checks
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.summaries import busiest_controller_day
from vatstats_assets.storage.tables import (
    CONTROLLER_SUMMARIES,
    FLIGHT_SUMMARIES,
    MOVEMENT_SUMMARIES,
    NETWORK_DAILY_STATS,
)

MINUTES_PER_DAY = 1440

SUMMARY_TABLES = {
    "movement_summaries": MOVEMENT_SUMMARIES,
    "flight_summaries": FLIGHT_SUMMARIES,
    "controller_summaries": CONTROLLER_SUMMARIES,
    "network_daily_stats": NETWORK_DAILY_STATS,
}


def minutes_within_a_day_check(partitions: dg.DailyPartitionsDefinition) -> dg.AssetChecksDefinition:
    @daily_check(
        asset="controller_summaries", name="minutes_within_a_day", partitions=partitions,
        description=f"No controller (cid) has more than {MINUTES_PER_DAY} minutes online in one day.",
    )
    def minutes_within_a_day(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        with warehouse.engine.connect() as conn:
            busiest = busiest_controller_day(conn, window.start.date(), window.end.date())
        if busiest is None:
            return dg.AssetCheckResult(passed=True, description="No controller time in this partition.",
                                       metadata={"most_minutes": 0.0})
        day, cid, minutes = busiest
        # A float sum of exact day shares may land a hair over 1,440.
        return dg.AssetCheckResult(
            passed=minutes <= MINUTES_PER_DAY + 1e-6,
            description=f"The most minutes in a day: {minutes:.1f}, controller {cid} on {day}.",
            metadata={"most_minutes": round(minutes, 2), "cid": cid, "date": str(day)},
        )

    return minutes_within_a_day


# coverage_bounds_violations.sql's count per summary, and the rule it counts the rows breaking
COVERAGE_RULES = {
    "flight_summaries": ("flights", "covered time within the time online and the airborne time, shares within "
                                    "[0, 1], no facility covering more than all together"),
    "controller_summaries": ("controllers", "no more aircraft at once than aircraft handled"),
}


def coverage_within_time_check(asset: str, partitions: dg.DailyPartitionsDefinition) -> dg.AssetChecksDefinition:
    column, rule = COVERAGE_RULES[asset]

    def count(conn: sa.Connection, window: dg.TimeWindow) -> int:
        return int(conn.execute(sa.text(query("coverage_bounds_violations")),
                                {"window_start": window.start, "window_end": window.end}).one()._mapping[column])

    return rule_check(asset=asset, name="coverage_within_time", rule=f"ATC coverage: {rule}", partitions=partitions,
                      count=count)


def summary_checks(partitions: dg.DailyPartitionsDefinition) -> list[dg.AssetChecksDefinition]:
    checks = [minutes_within_a_day_check(partitions), coverage_within_time_check("flight_summaries", partitions),
              coverage_within_time_check("controller_summaries", partitions)]
    for asset, spec in SUMMARY_TABLES.items():
        checks += table_checks(asset, spec, partitions)
    return checks
