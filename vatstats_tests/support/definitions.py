"""The project's definitions as tests use them, and the one place test resources are built.

The definitions come from `build_definitions` with the default settings (daily partitions from
2021-01-01), so a test runs exactly the assets and checks Dagster loads; the resources point them
at a test database and feed.
"""

from __future__ import annotations

import dagster as dg

from vatstats_assets.definitions import build_definitions
from vatstats_assets.defs.io_manager import WarehouseIOManager
from vatstats_assets.defs.partitions import daily_partitions
from vatstats_assets.defs.resources import FeedResource, RetentionResource, WarehouseResource
from vatstats_assets.settings import Settings

DEFAULT_SETTINGS = Settings.from_env({})
PROJECT = build_definitions(DEFAULT_SETTINGS)
PARTITIONS = daily_partitions(DEFAULT_SETTINGS)


def asset(name: str) -> dg.AssetsDefinition:
    """The project's asset (or the multi-asset) that produces `name`."""
    key = dg.AssetKey(name)
    return next(a for a in PROJECT.assets or [] if isinstance(a, dg.AssetsDefinition) and key in a.keys)


def asset_check(asset_name: str, check_name: str) -> dg.AssetChecksDefinition:
    key = dg.AssetCheckKey(dg.AssetKey(asset_name), check_name)
    return next(c for c in PROJECT.asset_checks or [] if key in c.check_keys)


def checks_on(asset_name: str) -> list[dg.AssetChecksDefinition]:
    """Every check of the project on `asset_name`."""
    key = dg.AssetKey(asset_name)
    return [c for c in PROJECT.asset_checks or [] if any(k.asset_key == key for k in c.check_keys)]


def run_resources(
    database_url: str | dg.EnvVar,
    *,
    feed_url: str | None = None,
    region: str = "global",
    store_names: bool = True,
    feed_timeout_s: float = 5.0,
    retention: RetentionResource | None = None,
) -> dict[str, dg.ConfigurableResource]:
    """The resources a run needs, on the test warehouse (and feed, when given)."""
    warehouse = WarehouseResource(database_url=database_url, region=region, store_names=store_names)
    resources: dict[str, dg.ConfigurableResource] = {
        "warehouse": warehouse,
        "warehouse_io_manager": WarehouseIOManager(warehouse=warehouse),
        "retention": retention or RetentionResource(),
    }
    if feed_url is not None:
        resources["feed"] = FeedResource(feed_url=feed_url, timeout_s=feed_timeout_s)
    return resources


# The daily assets in their order in the graph: movements first, then the summaries that read them.
DAILY_ASSETS = [
    asset(name) for name in
    ("traffic_movements", "movement_summaries", "flight_summaries", "controller_summaries", "network_daily_stats")
]
