"""Checks every daily-partitioned table gets: unique keys, and rows inside the partitions.

Checks on daily-partitioned assets are partitioned themselves, so they look at the window being
materialised, a single day or a backfill's range. They are blocking: when one fails, the assets
downstream in the same run are not materialised.
"""

import warnings
from collections.abc import Callable
from typing import Any

import dagster as dg
import sqlalchemy as sa

from vatstats_assets.defs.partitions import partitioned_range
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.summaries import duplicate_keys, rows_outside
from vatstats_assets.storage.tables import TableSpec

CheckFunction = Callable[..., dg.AssetCheckResult]


def daily_check(
    *, asset: str, name: str, description: str, partitions: dg.DailyPartitionsDefinition
) -> Callable[[CheckFunction], dg.AssetChecksDefinition]:
    """A blocking check partitioned like the daily asset it guards."""

    def build(function: CheckFunction) -> dg.AssetChecksDefinition:
        with warnings.catch_warnings():
            # Partitioned checks are "preview" in Dagster 1.13; the pinned release is tested with
            # them, and without them a day's re-run would check the whole table every time.
            warnings.simplefilter("ignore", dg.PreviewWarning)
            return dg.asset_check(
                asset=asset, name=name, description=description, blocking=True, partitions_def=partitions
            )(function)

    return build


def checked_window(context: dg.AssetCheckExecutionContext, partitions: dg.DailyPartitionsDefinition) -> dg.TimeWindow:
    """The partition window being checked; the whole partitioned range when run without one."""
    if context.has_partition_key or context.has_partition_key_range:
        return context.partition_time_window
    return partitioned_range(partitions)


def window_text(window: dg.TimeWindow) -> str:
    """[first day, day after the last)"""
    return f"[{window.start:%Y-%m-%d}, {window.end:%Y-%m-%d})"


def unique_keys_check(asset: str, spec: TableSpec, partitions: dg.DailyPartitionsDefinition) -> dg.AssetChecksDefinition:
    @daily_check(
        asset=asset, name="unique_keys", partitions=partitions,
        description=f"No two rows of {spec.qualified} in the partition share a key ({', '.join(spec.key)}).",
    )
    def unique_keys(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        with warehouse.engine.connect() as conn:
            repeated = duplicate_keys(conn, spec, window.start, window.end)
        return dg.AssetCheckResult(
            passed=repeated == 0,
            description=f"{repeated} rows repeat a key in {window_text(window)}.",
            metadata={"rows_repeating_a_key": repeated},
        )

    return unique_keys


def rows_inside_partitions_check(
    asset: str, spec: TableSpec, partitions: dg.DailyPartitionsDefinition
) -> dg.AssetChecksDefinition:
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
        window = partitioned_range(partitions)
        with warehouse.engine.connect() as conn:
            outside = rows_outside(conn, spec, window.start, window.end)
        metadata: dict[str, Any] = {"rows_outside": outside.count}
        if outside.count:
            metadata.update(earliest_outside=str(outside.earliest), latest_outside=str(outside.latest))
        return dg.AssetCheckResult(
            passed=outside.count == 0,
            description=f"{outside.count} rows fall outside the partitions {window_text(window)}.",
            metadata=metadata,
        )

    return rows_inside_partitions


def zero_rows_check(
    *, asset: str, name: str, description: str, query_name: str, metric: str, finding: str,
    partitions: dg.DailyPartitionsDefinition,
) -> dg.AssetChecksDefinition:
    """A check that passes when `sql/queries/<query_name>.sql`, which counts the offending rows of the
    window (bound as :window_start and :window_end), counts none.

    `finding` names what was counted, as in "{count} {finding} in [window)", and `metric` is the
    count's metadata key.
    """

    @daily_check(asset=asset, name=name, description=description, partitions=partitions)
    def check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        with warehouse.engine.connect() as conn:
            count = int(conn.execute(sa.text(query(query_name)),
                                     {"window_start": window.start, "window_end": window.end}).scalar_one())
        return dg.AssetCheckResult(
            passed=count == 0, description=f"{count} {finding} in {window_text(window)}.", metadata={metric: count},
        )

    return check


def rule_check(
    *, asset: str, name: str, rule: str, partitions: dg.DailyPartitionsDefinition,
    count: Callable[[sa.Connection, dg.TimeWindow], int],
) -> dg.AssetChecksDefinition:
    """A check that the partition holds no row breaking `rule`; `count` counts those that do."""

    @daily_check(asset=asset, name=name, partitions=partitions, description=f"Every row keeps the rule: {rule}.")
    def check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        with warehouse.engine.connect() as conn:
            broken = count(conn, window)
        return dg.AssetCheckResult(
            passed=broken == 0,
            description=f"{broken} rows in {window_text(window)} break the rule: {rule}." if broken
            else f"Every row in {window_text(window)} keeps the rule: {rule}.",
            metadata={"rows_breaking": broken},
        )

    return check


def table_checks(asset: str, spec: TableSpec, partitions: dg.DailyPartitionsDefinition) -> list[dg.AssetChecksDefinition]:
    return [unique_keys_check(asset, spec, partitions), rows_inside_partitions_check(asset, spec, partitions)]
