"""What every daily-partitioned warehouse asset shares: the declaration and the day-by-day loop.

The assets are declared beside their code with `@daily_table_asset(...)` and built into Dagster
assets by `build(partitions)`, because the partitions come from the settings that
`definitions.build_definitions(settings)` is given, not from the environment at import.
"""

import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import dagster as dg

from vatstats_assets.defs.conventions import OWNERS
from vatstats_assets.defs.io_manager import write_metadata
from vatstats_assets.defs.partitions import WEEKLY_BACKFILL
from vatstats_assets.storage.tables import TableSpec


@dataclass(frozen=True)
class DailyTableAsset:
    """A daily-partitioned asset whose rows replace the day's rows of `spec`'s table."""

    compute: Callable[..., object]
    spec: TableSpec
    group: str
    deps: tuple[str, ...]
    automation_condition: dg.AutomationCondition
    tags: dict[str, str]

    @property
    def name(self) -> str:
        return self.compute.__name__

    def build(self, partitions: dg.DailyPartitionsDefinition) -> dg.AssetsDefinition:
        """A UTC day per partition, a week per backfill run, and the day's rows replaced in the
        table in one transaction by the warehouse IO manager (so a re-run is idempotent)."""
        with warnings.catch_warnings():
            # `backfill_policy` is "beta" in Dagster 1.13: the pinned release is tested with it, and
            # without it a year's backfill would be 365 runs instead of 53.
            warnings.simplefilter("ignore", dg.BetaWarning)
            return dg.asset(
                partitions_def=partitions,
                backfill_policy=WEEKLY_BACKFILL,
                group_name=self.group,
                kinds={"postgres"},
                deps=list(self.deps),
                io_manager_key="warehouse_io_manager",
                metadata=write_metadata("replace_partition", self.spec.qualified),
                automation_condition=self.automation_condition,
                tags=self.tags,
                owners=OWNERS,
            )(self.compute)


def daily_table_asset(
    spec: TableSpec,
    *,
    group: str,
    deps: Sequence[str],
    automation_condition: dg.AutomationCondition,
    tags: dict[str, str],
) -> Callable[[Callable[..., object]], DailyTableAsset]:
    """Declare a daily table asset; its docstring is the asset's description."""

    def declare(compute: Callable[..., object]) -> DailyTableAsset:
        return DailyTableAsset(compute, spec, group, tuple(deps), automation_condition, tags)

    return declare


def each_day(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """[start, end) cut into UTC days: a week's backfill run holds one day's data at a time."""
    day = start
    while day < end:
        yield day, min(day + timedelta(days=1), end)
        day += timedelta(days=1)
