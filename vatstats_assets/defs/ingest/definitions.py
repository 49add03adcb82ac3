"""The ingest domain: the feed sensor, the ingest job and asset, and the feed's freshness check."""

import dagster as dg

from vatstats_assets.defs.ingest.assets import ingest_snapshot
from vatstats_assets.defs.ingest.checks import feed_is_fresh
from vatstats_assets.defs.ingest.jobs import ingest_job
from vatstats_assets.defs.ingest.sensor import vatsim_feed_sensor


def ingest_definitions() -> dg.Definitions:
    return dg.Definitions(
        assets=[ingest_snapshot], asset_checks=[feed_is_fresh], jobs=[ingest_job], sensors=[vatsim_feed_sensor]
    )
