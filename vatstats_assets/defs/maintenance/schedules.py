"""Maintenance schedules: partitions ahead and retention once a day, Dagster history pruning hourly."""


from datetime import UTC, datetime, timedelta

import dagster as dg

from vatstats_assets.defs.maintenance.assets import day_partitions_ahead, warehouse_retention
from vatstats_assets.defs.resources import RetentionResource

maintenance_job = dg.define_asset_job(
    name="maintenance_job",
    selection=dg.AssetSelection.assets(day_partitions_ahead, warehouse_retention),
    executor_def=dg.in_process_executor,
    description="Create tomorrow's partitions and drop those past retention.",
)

daily_maintenance_schedule = dg.ScheduleDefinition(
    name="daily_maintenance",
    job=maintenance_job,
    cron_schedule="5 0 * * *",  # just after midnight UTC, when a new day's partitions start being used
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Partitions for the next days, retention of raw snapshots and track history.",
)

PRUNE_BATCH = 500  # runs deleted per tick: bounded work, and 15 s ingest adds only 240 runs an hour


def prune_runs_before(instance: dg.DagsterInstance, cutoff: datetime, limit: int = PRUNE_BATCH) -> int:
    """Delete up to `limit` finished runs created before `cutoff`, oldest first, with their event logs.

    The cut-off is a parameter (not "now minus the retention") so that tests can prune a day of
    simulated time in seconds.
    """
    records = instance.get_run_records(
        filters=dg.RunsFilter(
            created_before=cutoff,
            statuses=[dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED],
        ),
        limit=limit,
        ascending=True,
    )
    for record in records:
        instance.delete_run(record.dagster_run.run_id)
    return len(records)


@dg.op(description="Deletes Dagster runs (and their event logs) older than VATSTATS_RUN_RETENTION_DAYS.")
def prune_dagster_runs(context: dg.OpExecutionContext, retention: RetentionResource) -> int:
    cutoff = datetime.now(UTC) - timedelta(days=retention.run_days)
    deleted = prune_runs_before(context.instance, cutoff)
    context.log.info(f"Deleted {deleted} runs created before {cutoff.isoformat()}")
    return deleted


@dg.job(description="Prune Dagster's own run history so its storage stays bounded.",
        executor_def=dg.in_process_executor)
def prune_dagster_history_job() -> None:
    prune_dagster_runs()


prune_dagster_history_schedule = dg.ScheduleDefinition(
    name="prune_dagster_history",
    job=prune_dagster_history_job,
    cron_schedule="17 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Hourly: delete runs and event logs older than the retention (default 7 days).",
)
