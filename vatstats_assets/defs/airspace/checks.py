"""Checks on the airspace's daily tables: their keys and windows, stays inside their connection,
and no aircraft in two sectors of one level at once."""

import dagster as dg

from vatstats_assets.defs.table_checks import table_checks, zero_rows_check
from vatstats_assets.storage.tables import SECTOR_HOURLY_LOAD, SECTOR_OCCUPANCY


def airspace_checks(partitions: dg.DailyPartitionsDefinition) -> list[dg.AssetChecksDefinition]:
    return [
        zero_rows_check(
            asset="sector_occupancy", name="stays_inside_connections", partitions=partitions,
            description="Every stay lies inside its flight's connection (from logon to last seen).",
            query_name="sector_stays_outside_connections", metric="stays_outside",
            finding="stays outside their connection",
        ),
        zero_rows_check(
            asset="sector_occupancy", name="no_overlap_within_a_level", partitions=partitions,
            description="No flight is in two sectors of the same file at once unless one covers the other.",
            query_name="sector_stays_overlapping", metric="overlapping_pairs",
            finding="pairs of stays overlap within one level",
        ),
        *table_checks("sector_occupancy", SECTOR_OCCUPANCY, partitions),
        *table_checks("sector_hourly_load", SECTOR_HOURLY_LOAD, partitions),
    ]
