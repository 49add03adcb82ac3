"""What every daily-partitioned warehouse asset shares: the decorator and the day-by-day loop."""

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import dagster as dg

from vatstats_assets.defs.io_manager import write_metadata
from vatstats_assets.defs.partitions import DAILY_PARTITIONS, WEEKLY_BACKFILL
from vatstats_assets.storage.tables import TableSpec

OWNERS = ["team:vatstats"]


def daily_table_asset(
    spec: TableSpec,
    *,
    group: str,
    deps: Sequence[str],
    automation_condition: dg.AutomationCondition,
    tags: dict[str, str],
):
    """A UTC day per partition, a week per backfill run, and the day's rows replaced in `spec`'s
    table in one transaction by the warehouse IO manager (so a re-run is idempotent)."""
    return dg.asset(
        partitions_def=DAILY_PARTITIONS,
        backfill_policy=WEEKLY_BACKFILL,
        group_name=group,
        kinds={"postgres"},
        deps=list(deps),
        io_manager_key="warehouse_io_manager",
        metadata=write_metadata("replace_partition", spec.qualified),
        automation_condition=automation_condition,
        tags=tags,
        owners=OWNERS,
    )


def each_day(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """[start, end) cut into UTC days: a week's backfill run holds one day's data at a time."""
    day = start
    while day < end:
        yield day, min(day + timedelta(days=1), end)
        day += timedelta(days=1)
