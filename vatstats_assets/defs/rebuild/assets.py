"""ingest_rebuild: a day's flights, atc_positions, flight_positions and tuning runs re-derived from its raw snapshots.

An operator's action, never automatic: no automation condition, no schedule, and no trigger of the
daily assets downstream (conventions.REFRESH_TODAY ignores it). Launched as a backfill of its daily
partitions from the UI or with `vatstats backfill ingest_rebuild [DOWNSTREAM ...] --start D --end D`;
a run covers up to a week of consecutive days (one replay, crossing the midnights inside it as live
ingestion did). The work and its limits are storage/rebuild.py's.
"""

import warnings
from pathlib import Path

import dagster as dg

from vatstats_assets.defs.conventions import INGEST_REBUILD, OWNERS
from vatstats_assets.defs.partitions import WEEKLY_BACKFILL
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.process_pool import one_per_core
from vatstats_assets.regions import RegionError, StoredRegion, region_name
from vatstats_assets.storage.rebuild import RebuildRefused, rebuild_window

REBUILD_GROUP = "ingest"


class RebuildConfig(dg.Config):
    """Run config of a rebuild; the defaults apply each snapshot's stored region."""

    # vatpac, global or boundary ids: apply this region to every snapshot instead of the region each
    # was stored under (feed_snapshots.region), e.g. to widen the stored traffic after the fact.
    region: str | None = None
    # Processes parsing and preparing snapshots beside the one writing them: None is one a core
    # (as `vatstats replay`), 0 none.
    workers: int | None = None


def _regions(warehouse: WarehouseResource, override: str | None) -> StoredRegion:
    airspace_dir = Path(warehouse.airspace_dir) if warehouse.airspace_dir else None
    if override is not None:
        override = region_name(override, airspace_dir, setting="the run config's region")
    return StoredRegion(override, airspace_dir)


def build_ingest_rebuild(partitions: dg.DailyPartitionsDefinition) -> dg.AssetsDefinition:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)  # backfill_policy: see defs/daily_assets.py

        @dg.asset(
            name=INGEST_REBUILD,
            partitions_def=partitions,
            backfill_policy=WEEKLY_BACKFILL,
            group_name=REBUILD_GROUP,
            kinds={"postgres"},
            deps=["raw_feed_snapshot"],
            owners=OWNERS,
            tags={"vatstats/layer": "core"},
            description="The day's flights, atc_positions, flight_positions and transceiver_tunings re-derived "
            "from its raw snapshots through the ingest path, as live ingestion wrote them (after an ingest fix). "
            "Launched by hand as a backfill; days past VATSTATS_RAW_RETENTION_DAYS cannot be rebuilt.",
        )
        def ingest_rebuild(
            context: dg.AssetExecutionContext, config: RebuildConfig, warehouse: WarehouseResource
        ) -> dg.MaterializeResult:
            window = context.partition_time_window
            workers = one_per_core() if config.workers is None else config.workers
            try:
                result = rebuild_window(warehouse.engine, window.start, window.end,
                                        region_for=_regions(warehouse, config.region),
                                        store_names=warehouse.store_names, workers=workers)
            except (RebuildRefused, RegionError) as error:
                raise dg.Failure(description=f"Not rebuilt: {str(error).rstrip('.')}.", allow_retries=False) from None
            context.log.info(f"Rebuilt {window.start:%Y-%m-%d}..{window.end:%Y-%m-%d} (exclusive) from "
                             f"{result.snapshots} snapshots at {result.snapshots_per_s:.1f}/s")
            return dg.MaterializeResult(metadata=result.as_metadata())

    return ingest_rebuild
