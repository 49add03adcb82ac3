"""Dagster resources: the warehouse database and the VATSIM feed."""


from functools import cache

import dagster as dg
import sqlalchemy as sa

from vatstats_assets.defs.alerts.webhook import ALERT_WEBHOOK_KEY, alert_webhook_from_settings
from vatstats_assets.feed_client import FeedClient
from vatstats_assets.settings import Settings, validate_database_url
from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_assets.storage.migrations import migrate
from vatstats_assets.storage.server import ensure_database, open_server


@cache
def _engine_for(url: str) -> sa.Engine:
    # One engine (and so one small pool) per process, whatever number of runs or steps use it.
    return create_warehouse_engine(url)


@cache
def _resolved_url_from_settings() -> str:
    """With no URL configured, start (or join) the embedded server and migrate it once per process."""
    settings = Settings.from_env()
    server = open_server(settings)
    ensure_database(server, server.warehouse_database)
    migrate(_engine_for(server.warehouse_url))
    return server.warehouse_url


class WarehouseResource(dg.ConfigurableResource):
    """The PostgreSQL warehouse (schema `vatstats`); empty `database_url` means the embedded server."""

    database_url: str = ""
    region: str = "vatpac"
    store_names: bool = True
    # The sector files a boundary region (VATSTATS_REGION=YMMM,YBBB) is read from; empty otherwise.
    airspace_dir: str = ""

    @property
    def url(self) -> str:
        if self.database_url:
            return validate_database_url(self.database_url)
        return _resolved_url_from_settings()

    @property
    def engine(self) -> sa.Engine:
        return _engine_for(self.url)


class FeedResource(dg.ConfigurableResource):
    """Where the VATSIM v3 feed is fetched from (the live network, or `vatstats simulate`)."""

    feed_url: str = "https://status.vatsim.net/status.json"
    timeout_s: float = 10.0
    # The transceivers feed, fetched beside the data feed, is given up after this long.
    transceivers_timeout_s: float = 4.0

    def client(self) -> FeedClient:
        return FeedClient(self.feed_url, timeout_s=self.timeout_s, transceivers_timeout_s=self.transceivers_timeout_s)


class RetentionResource(dg.ConfigurableResource):
    """How many days of raw snapshots, track history and Dagster run history are kept."""

    raw_days: int = 7
    track_days: int = 90
    run_days: int = 7


def resources_from_settings(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """Resources as configured by the environment (see settings.py and the README)."""
    return {
        "retention": RetentionResource(
            raw_days=settings.raw_retention_days,
            track_days=settings.track_retention_days,
            run_days=settings.run_retention_days,
        ),
        "warehouse": WarehouseResource(
            database_url=dg.EnvVar("VATSTATS_DATABASE_URL") if settings.database_url else "",
            region=settings.region,
            store_names=settings.store_names,
            airspace_dir=str(settings.airspace_dir or ""),
        ),
        "feed": FeedResource(feed_url=settings.feed_url, transceivers_timeout_s=settings.transceivers_timeout_s),
        ALERT_WEBHOOK_KEY: alert_webhook_from_settings(settings),
    }
