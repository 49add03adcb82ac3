"""The ingest job: one snapshot per run, in-process, one run at a time (the `ingest` lane)."""

import dagster as dg

from vatstats_assets.defs.conventions import INGEST_LANE_TAG
from vatstats_assets.defs.ingest.assets import ingest_snapshot

ingest_job = dg.define_asset_job(
    name="ingest_job",
    # The freshness check runs on its own schedule: keep the 15 s ingest run to the ingest step.
    selection=dg.AssetSelection.assets(ingest_snapshot).without_checks(),
    # All steps in the run worker's own process: a subprocess per step would cost seconds per tick.
    executor_def=dg.in_process_executor,
    # dagster.yaml limits runs with this tag to one at a time.
    tags=INGEST_LANE_TAG,
    description="Ingest the current VATSIM feed snapshot (requested by the feed sensor every 15 s).",
)
