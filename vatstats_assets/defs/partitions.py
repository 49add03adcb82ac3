"""The daily partitions (UTC days) shared by movements, summaries and their checks."""

import dagster as dg

from vatstats_assets.settings import Settings


def daily_partitions(settings: Settings) -> dg.DailyPartitionsDefinition:
    """UTC days from VATSTATS_PARTITIONS_START up to and including today."""
    # end_offset=1: today's partition exists while the day is still running, so it can be
    # refreshed during the day and finalised after midnight.
    return dg.DailyPartitionsDefinition(
        start_date=settings.partitions_start.isoformat(), timezone="UTC", end_offset=1
    )


def partitioned_range(partitions: dg.DailyPartitionsDefinition) -> dg.TimeWindow:
    """From the first day partition's start to the end of the last (today's) one."""
    first = partitions.get_first_partition_window()
    last = partitions.get_last_partition_window()
    assert first is not None and last is not None, "the daily partitions start in the past"
    return dg.TimeWindow(first.start, last.end)


# A backfill of many days runs a week per run instead of one run per day (the rebuild: a week replayed
# in one go across its midnights; the exports).
WEEKLY_BACKFILL = dg.BackfillPolicy.multi_run(max_partitions_per_run=7)
