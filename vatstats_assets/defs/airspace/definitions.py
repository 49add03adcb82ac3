"""The airspace domain: the `airspace` asset (sector files into tables), the sensor that reloads
them when the files change, the daily sector_occupancy and sector_hourly_load with their checks,
and the schedule that finalises yesterday's.

Present only when VATSTATS_AIRSPACE_DIR is set: sector files are the user's and vatstats ships none,
so without them there is nothing these assets could compute. Leaving them out (rather than a no-op
asset) keeps a fresh deployment's lineage, automation and backfills free of assets that would
fail or write nothing every day; setting the folder and reloading the code location adds them.
"""

from datetime import timedelta
from pathlib import Path

import dagster as dg

from vatstats_assets.defs.airspace.assets import (
    AIRSPACE_GROUP,
    SECTORS_GROUP,
    AirspaceFilesResource,
    airspace,
    sector_hourly_load,
    sector_occupancy,
)
from vatstats_assets.defs.airspace.checks import airspace_checks

# Hashing a folder of sector files takes milliseconds: every five minutes is cheap and soon enough.
AIRSPACE_SENSOR_INTERVAL_S = 300

airspace_job = dg.define_asset_job(
    name="airspace_job", selection=dg.AssetSelection.groups(AIRSPACE_GROUP), executor_def=dg.in_process_executor,
    description="Load the sector files into the airspace tables.",
)

sector_statistics_job = dg.define_asset_job(
    name="sector_statistics_job", selection=dg.AssetSelection.groups(SECTORS_GROUP),
    executor_def=dg.in_process_executor, description="Sector occupancy, then the hourly load, for one UTC day.",
)


@dg.sensor(
    name="airspace_files_changed", job=airspace_job, minimum_interval_seconds=AIRSPACE_SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Reloads the airspace when the files in VATSTATS_AIRSPACE_DIR change (their hash is the run key).",
)
def airspace_files_changed(
    context: dg.SensorEvaluationContext, airspace_files: AirspaceFilesResource
) -> dg.SensorResult | dg.SkipReason:
    try:
        digest = airspace_files.digest()
    except OSError as error:
        return dg.SkipReason(f"The airspace folder cannot be read: {error}.")
    if digest == context.cursor:
        return dg.SkipReason("The sector files have not changed.")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=digest)], cursor=digest)


@dg.schedule(
    name="finalise_yesterday_sectors", job=sector_statistics_job, cron_schedule="30 0 * * *",
    execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Recompute yesterday's sector occupancy and load once the day is complete.",
)
def finalise_yesterday_sectors(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    # 00:30 UTC: after finalise_yesterday (00:20) has recomputed the day's movements.
    yesterday = (context.scheduled_execution_time - timedelta(days=1)).strftime("%Y-%m-%d")
    return dg.RunRequest(run_key=f"finalise-sectors-{yesterday}", partition_key=yesterday)


def airspace_definitions(folder: Path | None, partitions: dg.DailyPartitionsDefinition) -> dg.Definitions:
    """The airspace domain for the sector files in `folder`; nothing when no folder is set."""
    if folder is None:
        return dg.Definitions()
    return dg.Definitions(
        assets=[airspace, sector_occupancy.build(partitions), sector_hourly_load.build(partitions)],
        asset_checks=airspace_checks(partitions),
        jobs=[airspace_job, sector_statistics_job],
        sensors=[airspace_files_changed],
        schedules=[finalise_yesterday_sectors],
        resources={"airspace_files": AirspaceFilesResource(folder=str(folder))},
    )
