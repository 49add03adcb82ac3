"""Checks on the daily summaries: the tables' own, and no controller online more than a day."""

import dagster as dg

from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.defs.table_checks import checked_window, daily_check, table_checks
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


def summary_checks(partitions: dg.DailyPartitionsDefinition) -> list[dg.AssetChecksDefinition]:
    checks = [minutes_within_a_day_check(partitions)]
    for asset, spec in SUMMARY_TABLES.items():
        checks += table_checks(asset, spec, partitions)
    return checks
