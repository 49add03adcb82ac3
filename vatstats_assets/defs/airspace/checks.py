"""Checks on the airspace's daily tables: their keys and windows, stays inside their connection,
and no aircraft in two sectors of one level at once."""

import dagster as dg
import sqlalchemy as sa

from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.defs.table_checks import checked_window, daily_check, table_checks, window_text
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import SECTOR_HOURLY_LOAD, SECTOR_OCCUPANCY


def _count(warehouse: WarehouseResource, name: str, window: dg.TimeWindow) -> int:
    with warehouse.engine.connect() as conn:
        return int(conn.execute(sa.text(query(name)), {"window_start": window.start, "window_end": window.end})
                   .scalar_one())


def stays_inside_connections_check(partitions: dg.DailyPartitionsDefinition) -> dg.AssetChecksDefinition:
    @daily_check(
        asset="sector_occupancy", name="stays_inside_connections", partitions=partitions,
        description="Every stay lies inside its flight's connection (from logon to last seen).",
    )
    def stays_inside_connections(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        outside = _count(warehouse, "sector_stays_outside_connections", window)
        return dg.AssetCheckResult(
            passed=outside == 0, description=f"{outside} stays outside their connection in {window_text(window)}.",
            metadata={"stays_outside": outside},
        )

    return stays_inside_connections


def no_overlap_within_a_level_check(partitions: dg.DailyPartitionsDefinition) -> dg.AssetChecksDefinition:
    @daily_check(
        asset="sector_occupancy", name="no_overlap_within_a_level", partitions=partitions,
        description="No flight is in two sectors of the same file at once unless one covers the other.",
    )
    def no_overlap_within_a_level(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        overlapping = _count(warehouse, "sector_stays_overlapping", window)
        return dg.AssetCheckResult(
            passed=overlapping == 0,
            description=f"{overlapping} pairs of stays overlap within one level in {window_text(window)}.",
            metadata={"overlapping_pairs": overlapping},
        )

    return no_overlap_within_a_level


def airspace_checks(partitions: dg.DailyPartitionsDefinition) -> list[dg.AssetChecksDefinition]:
    return [
        stays_inside_connections_check(partitions),
        no_overlap_within_a_level_check(partitions),
        *table_checks("sector_occupancy", SECTOR_OCCUPANCY, partitions),
        *table_checks("sector_hourly_load", SECTOR_HOURLY_LOAD, partitions),
    ]
