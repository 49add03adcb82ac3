"""Finalising a day: after midnight UTC, yesterday's movements and summaries are recomputed once
more, now that every snapshot of the day is in. (Today's partitions refresh during the day through
the assets' automation conditions.)"""

from datetime import timedelta

import dagster as dg

daily_statistics_job = dg.define_asset_job(
    name="daily_statistics_job",
    # The daily assets only (the unpartitioned network_status asset lives in group "status").
    # Daily partitioned: Dagster takes the partitioning from these assets.
    selection=dg.AssetSelection.groups("movements", "summaries", "coverage"),
    executor_def=dg.in_process_executor,
    description="Movements, ATC contacts and coverage, then the summaries that read them, for one UTC day.",
)


@dg.schedule(
    name="finalise_yesterday",
    job=daily_statistics_job,
    # 00:20 UTC: the last snapshots of the day (up to 23:59:59) are ingested by then, with margin.
    cron_schedule="20 0 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Recompute yesterday's movements and summaries once the day is complete.",
)
def finalise_yesterday(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    yesterday = (context.scheduled_execution_time - timedelta(days=1)).strftime("%Y-%m-%d")
    return dg.RunRequest(run_key=f"finalise-{yesterday}", partition_key=yesterday)
