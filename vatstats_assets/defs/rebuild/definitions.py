"""The rebuild domain: ingest_rebuild (no job, sensor or schedule of its own: operators launch it)."""

import dagster as dg

from vatstats_assets.defs.rebuild.assets import build_ingest_rebuild


def rebuild_definitions(partitions: dg.DailyPartitionsDefinition) -> dg.Definitions:
    return dg.Definitions(assets=[build_ingest_rebuild(partitions)])
