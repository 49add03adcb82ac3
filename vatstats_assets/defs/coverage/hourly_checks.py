"""Checks on coverage_hourly: the table's own, and the bounds every row keeps."""

import dagster as dg
import sqlalchemy as sa

from vatstats_assets.defs.table_checks import rule_check, table_checks
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import COVERAGE_HOURLY

BOUNDS = ("covered aircraft-minutes never above the aircraft-minutes, the peak never above the aircraft, "
          "staffed minutes never above 60, aircraft-minutes never above 60 per aircraft")


def _rows_out_of_bounds(conn: sa.Connection, window: dg.TimeWindow) -> int:
    return int(conn.execute(sa.text(query("coverage_hourly_violations")),
                            {"start": window.start.date(), "end": window.end.date()}).scalar_one())


def hourly_checks(partitions: dg.DailyPartitionsDefinition) -> list[dg.AssetChecksDefinition]:
    return [
        rule_check(asset="coverage_hourly", name="coverage_within_traffic", rule=BOUNDS, partitions=partitions,
                   count=_rows_out_of_bounds),
        *table_checks("coverage_hourly", COVERAGE_HOURLY, partitions),
    ]
