"""The single Dagster entry point for vatstats (workspace.yaml and `dg` load this module)."""

import dagster as dg

from vatstats_assets.defs.daily_schedules import daily_statistics_job, finalise_yesterday
from vatstats_assets.defs.ingest.assets import ingest_snapshot
from vatstats_assets.defs.ingest.jobs import ingest_job
from vatstats_assets.defs.ingest.sensor import vatsim_feed_sensor
from vatstats_assets.defs.io_manager import WarehouseIOManager
from vatstats_assets.defs.maintenance.assets import day_partitions_ahead, warehouse_retention
from vatstats_assets.defs.movements.assets import traffic_movements
from vatstats_assets.defs.maintenance.schedules import (
    daily_maintenance_schedule,
    maintenance_job,
    prune_dagster_history_job,
    prune_dagster_history_schedule,
)
from vatstats_assets.defs.resources import resources_from_settings
from vatstats_assets.defs.summaries.assets import (
    controller_summaries,
    flight_summaries,
    movement_summaries,
    network_daily_stats,
)
from vatstats_assets.defs.summaries.checks import SUMMARY_CHECKS
from vatstats_assets.defs.summaries.status import network_status
from vatstats_assets.settings import Settings


def build_resources(settings: Settings) -> dict:
    resources = resources_from_settings(settings)
    return {**resources, "warehouse_io_manager": WarehouseIOManager(warehouse=resources["warehouse"])}


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=[
            ingest_snapshot, traffic_movements, movement_summaries, flight_summaries, controller_summaries,
            network_daily_stats, network_status, day_partitions_ahead, warehouse_retention,
        ],
        asset_checks=SUMMARY_CHECKS,
        jobs=[ingest_job, daily_statistics_job, maintenance_job, prune_dagster_history_job],
        sensors=[vatsim_feed_sensor],
        schedules=[finalise_yesterday, daily_maintenance_schedule, prune_dagster_history_schedule],
        resources=build_resources(settings),
        # Every job, the UI's "Materialize" and backfills included, runs its steps in the run
        # worker's own process: a fresh process per step costs seconds against 0.1-2 s of work.
        executor=dg.in_process_executor,
    )


defs = build_definitions(Settings.from_env())
