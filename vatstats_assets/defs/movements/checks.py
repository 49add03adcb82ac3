"""Checks on traffic_movements: the table's own, and arrivals no more than the flights seen."""

import dagster as dg

from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.defs.table_checks import checked_window, daily_check, table_checks, window_text
from vatstats_assets.storage.summaries import arrivals_and_flights
from vatstats_assets.storage.tables import TRAFFIC_MOVEMENTS


def arrivals_within_flights_seen_check(partitions: dg.DailyPartitionsDefinition) -> dg.AssetChecksDefinition:
    @daily_check(
        asset="traffic_movements", name="arrivals_within_flights_seen", partitions=partitions,
        description="A day's arrivals do not outnumber the pilot connections seen that day.",
    )
    def arrivals_within_flights_seen(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        with warehouse.engine.connect() as conn:
            arrivals, flights_seen = arrivals_and_flights(conn, window.start, window.end)
        return dg.AssetCheckResult(
            passed=arrivals <= flights_seen,
            description=f"{arrivals} arrivals, {flights_seen} pilot connections seen in {window_text(window)}.",
            metadata={"arrivals": arrivals, "flights_seen": flights_seen},
        )

    return arrivals_within_flights_seen


def movement_checks(partitions: dg.DailyPartitionsDefinition) -> list[dg.AssetChecksDefinition]:
    return [
        arrivals_within_flights_seen_check(partitions),
        *table_checks("traffic_movements", TRAFFIC_MOVEMENTS, partitions),
    ]
