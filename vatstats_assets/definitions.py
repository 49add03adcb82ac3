"""The single Dagster entry point for vatstats (workspace.yaml and `dg` load this module).

Each domain declares its own assets, checks, jobs, sensors and schedules beside its code
(`defs/<domain>/definitions.py`); they are merged here once, with the settings deciding the
partitions and the resources.
"""

import dagster as dg

from vatstats_assets.defs.airspace.definitions import airspace_definitions
from vatstats_assets.defs.alerts.definitions import alerts_definitions
from vatstats_assets.defs.automation import automation_sensor
from vatstats_assets.defs.coverage.definitions import coverage_definitions
from vatstats_assets.defs.exports.definitions import exports_definitions
from vatstats_assets.defs.ingest.definitions import ingest_definitions
from vatstats_assets.defs.io_manager import WarehouseIOManager
from vatstats_assets.defs.maintenance.definitions import maintenance_definitions
from vatstats_assets.defs.movements.definitions import movements_definitions
from vatstats_assets.defs.partitions import daily_partitions
from vatstats_assets.defs.rebuild.definitions import rebuild_definitions
from vatstats_assets.defs.resources import resources_from_settings
from vatstats_assets.defs.summaries.definitions import summaries_definitions
from vatstats_assets.settings import Settings


def build_resources(settings: Settings) -> dict:
    resources = resources_from_settings(settings)
    return {**resources, "warehouse_io_manager": WarehouseIOManager(warehouse=resources["warehouse"])}


def build_definitions(settings: Settings) -> dg.Definitions:
    partitions = daily_partitions(settings)
    domains = dg.Definitions.merge(
        ingest_definitions(),
        rebuild_definitions(partitions),
        movements_definitions(partitions),
        summaries_definitions(partitions),
        coverage_definitions(partitions),
        maintenance_definitions(),
        alerts_definitions(),
        # daily_exports only where there is a folder to write to (VATSTATS_EXPORT_DIR)
        *([exports_definitions(partitions, settings.export_dir, with_airspace=settings.airspace_dir is not None)]
          if settings.export_dir else []),
        airspace_definitions(settings.airspace_dir, partitions),
    )
    assets = [a for a in domains.assets or [] if isinstance(a, dg.AssetsDefinition)]
    checks = [c for c in domains.asset_checks or [] if isinstance(c, dg.AssetChecksDefinition)]
    return dg.Definitions.merge(
        domains,
        dg.Definitions(
            sensors=[automation_sensor(assets, checks)],
            resources=build_resources(settings),
            # Every job, the UI's "Materialize" and backfills included, runs its steps in the run
            # worker's own process: a fresh process per step costs seconds against 0.1-2 s of work.
            executor=dg.in_process_executor,
        ),
    )


defs = build_definitions(Settings.from_env())
