"""Asset checks: feed freshness, key uniqueness, rows inside the partitions, plausible counts.

Checks on daily-partitioned assets are partitioned themselves (Dagster 1.13), so they look at the
window being materialised, a single day or a backfill's range. Those that guard the summaries are
blocking: when one fails, the assets downstream in the same run are not materialised.
"""


from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import dagster as dg

from vatstats_assets.defs.ingest.sensor import vatsim_feed_sensor
from vatstats_assets.defs.partitions import DAILY_PARTITIONS
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.summaries import (
    arrivals_and_flights,
    busiest_controller_day,
    duplicate_keys,
    latest_snapshot_at,
    rows_outside,
)
from vatstats_assets.storage.tables import (
    CONTROLLER_SUMMARIES,
    FLIGHT_SUMMARIES,
    MOVEMENT_SUMMARIES,
    NETWORK_DAILY_STATS,
    TRAFFIC_MOVEMENTS,
    TableSpec,
)

# Four missed 15 s snapshots: longer than any hiccup the ingest retry policy absorbs.
FRESHNESS_LIMIT = timedelta(seconds=60)
# Checked every 5 minutes on its own (ingest runs only ever see a snapshot they just wrote).
FRESHNESS_SCHEDULE = dg.AutomationCondition.cron_tick_passed("*/5 * * * *") & ~dg.AutomationCondition.in_progress()

MINUTES_PER_DAY = 1440

# asset name -> the table it writes, for every daily-partitioned table
PARTITIONED_TABLES: dict[str, TableSpec] = {
    "traffic_movements": TRAFFIC_MOVEMENTS,
    "movement_summaries": MOVEMENT_SUMMARIES,
    "flight_summaries": FLIGHT_SUMMARIES,
    "controller_summaries": CONTROLLER_SUMMARIES,
    "network_daily_stats": NETWORK_DAILY_STATS,
}


def checked_window(context: dg.AssetCheckExecutionContext) -> dg.TimeWindow:
    """The partition window being checked; the whole partitioned range when run without one."""
    if context.has_partition_key or context.has_partition_key_range:
        return context.partition_time_window
    return partitioned_range()


def partitioned_range() -> dg.TimeWindow:
    """From the first day partition's start to the end of the last (today's) one."""
    first = DAILY_PARTITIONS.get_first_partition_window()
    last = DAILY_PARTITIONS.get_last_partition_window()
    assert first is not None and last is not None, "the daily partitions start in the past"
    return dg.TimeWindow(first.start, last.end)


def _window_text(window: dg.TimeWindow) -> str:
    return f"[{window.start:%Y-%m-%d}, {window.end:%Y-%m-%d})"


def feed_sensor_stopped(instance: dg.DagsterInstance) -> bool:
    """Whether someone stopped the feed sensor (it runs by default, so no stored state means on)."""
    if instance.schedule_storage is None:  # an ephemeral instance (tests, `dg.materialize`) keeps no sensor state
        return False
    return any(
        state.name == vatsim_feed_sensor.name and state.status.value == "STOPPED"
        for state in instance.all_instigator_state()
    )


@dg.asset_check(
    asset="raw_feed_snapshot",
    name="feed_is_fresh",
    description=f"The newest stored snapshot is at most {FRESHNESS_LIMIT.seconds} s old while ingestion "
    "is on (WARN when nothing is stored yet, or when the feed sensor is stopped).",
    automation_condition=FRESHNESS_SCHEDULE,
)
def feed_is_fresh(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.engine.connect() as conn:
        latest = latest_snapshot_at(conn)
    if latest is None:
        return dg.AssetCheckResult(
            passed=False, severity=dg.AssetCheckSeverity.WARN, description="No feed snapshot is stored yet."
        )
    age_s = (datetime.now(UTC) - latest).total_seconds()
    passed = age_s <= FRESHNESS_LIMIT.total_seconds()
    stopped = not passed and feed_sensor_stopped(context.instance)
    if passed:
        description = f"The newest snapshot is {age_s:.0f} s old."
    elif stopped:
        description = f"The newest snapshot is {age_s:.0f} s old; the feed sensor is stopped."
    else:
        description = f"The newest snapshot is {age_s:.0f} s old, over the {FRESHNESS_LIMIT.seconds} s limit."
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.WARN if stopped else dg.AssetCheckSeverity.ERROR,
        description=description,
        metadata={"age_s": round(age_s, 1), "latest_snapshot_at": dg.MetadataValue.timestamp(latest)},
    )


def unique_keys_check(asset: str, spec: TableSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset,
        name="unique_keys",
        description=f"No two rows of {spec.qualified} in the partition share a key ({', '.join(spec.key)}).",
        blocking=True,
        partitions_def=DAILY_PARTITIONS,
    )
    def unique_keys(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        window = checked_window(context)
        with warehouse.engine.connect() as conn:
            repeated = duplicate_keys(conn, spec, window.start, window.end)
        return dg.AssetCheckResult(
            passed=repeated == 0,
            description=f"{repeated} rows repeat a key in {_window_text(window)}.",
            metadata={"rows_repeating_a_key": repeated},
        )

    return unique_keys


def rows_inside_partitions_check(asset: str, spec: TableSpec) -> dg.AssetChecksDefinition:
    # Unpartitioned: a row before the first or after the last day partition belongs to no
    # partition, so no partition's re-run would ever replace it; that is a property of the table.
    @dg.asset_check(
        asset=asset,
        name="rows_inside_partitions",
        description=f"Every row of {spec.qualified} has its {spec.window_column} inside a daily "
        "partition (from the first day to today), so a partition's re-run replaces it.",
        blocking=True,
    )
    def rows_inside_partitions(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        partitions = partitioned_range()
        with warehouse.engine.connect() as conn:
            outside = rows_outside(conn, spec, partitions.start, partitions.end)
        metadata: dict[str, object] = {"rows_outside": outside.count}
        if outside.count:
            metadata.update(earliest_outside=str(outside.earliest), latest_outside=str(outside.latest))
        return dg.AssetCheckResult(
            passed=outside.count == 0,
            description=f"{outside.count} rows fall outside the partitions {_window_text(partitions)}.",
            metadata=metadata,
        )

    return rows_inside_partitions


@dg.asset_check(
    asset="traffic_movements",
    name="arrivals_within_flights_seen",
    description="A day's arrivals do not outnumber the pilot connections seen that day.",
    blocking=True,
    partitions_def=DAILY_PARTITIONS,
)
def arrivals_within_flights_seen(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    window = checked_window(context)
    with warehouse.engine.connect() as conn:
        arrivals, flights_seen = arrivals_and_flights(conn, window.start, window.end)
    return dg.AssetCheckResult(
        passed=arrivals <= flights_seen,
        description=f"{arrivals} arrivals, {flights_seen} pilot connections seen in {_window_text(window)}.",
        metadata={"arrivals": arrivals, "flights_seen": flights_seen},
    )


@dg.asset_check(
    asset="controller_summaries",
    name="minutes_within_a_day",
    description=f"No controller (cid) has more than {MINUTES_PER_DAY} minutes online in one day.",
    blocking=True,
    partitions_def=DAILY_PARTITIONS,
)
def minutes_within_a_day(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    window = checked_window(context)
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


def table_checks() -> list[dg.AssetChecksDefinition]:
    checks = []
    for asset, spec in PARTITIONED_TABLES.items():
        checks += [unique_keys_check(asset, spec), rows_inside_partitions_check(asset, spec)]
    return checks


SUMMARY_CHECKS: Sequence[dg.AssetChecksDefinition] = [
    feed_is_fresh,
    arrivals_within_flights_seen,
    minutes_within_a_day,
    *table_checks(),
]
