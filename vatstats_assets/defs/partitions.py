"""The daily partitions (UTC days) shared by movements and summaries."""


import dagster as dg

from vatstats_assets.settings import Settings


def daily_partitions(settings: Settings) -> dg.DailyPartitionsDefinition:
    # end_offset=1: today's partition exists while the day is still running, so it can be
    # refreshed during the day and finalised after midnight.
    return dg.DailyPartitionsDefinition(
        start_date=settings.partitions_start.isoformat(), timezone="UTC", end_offset=1
    )


DAILY_PARTITIONS = daily_partitions(Settings.from_env())

# A backfill of many days runs a week per run instead of one run per day.
WEEKLY_BACKFILL = dg.BackfillPolicy.multi_run(max_partitions_per_run=7)
