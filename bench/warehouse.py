"""Where benchmarks write: a throwaway, migrated database on the chosen PostgreSQL server.

Every benchmark creates its own `vatstats_bench_<label>_<random>` database, migrates it with the
project's runner and drops it afterwards (even when the benchmark fails), so a run never touches
the user's warehouse and two runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa

from vatstats_assets.settings import Settings
from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_assets.storage.migrations import migrate
from vatstats_assets.storage.server import PostgresServer, drop_database, ensure_database, open_server

# Tables every ingest benchmark empties between variants (partitioned parents truncate their partitions).
INGEST_TABLES = ("feed_snapshots", "flights", "atc_positions", "flight_positions", "transceiver_tunings")


def open_bench_server(database_url: str | None) -> PostgresServer:
    """`database_url`'s server when given (else VATSTATS_DATABASE_URL), otherwise the embedded one."""
    environ = dict(os.environ)
    if database_url:
        environ["VATSTATS_DATABASE_URL"] = database_url
    return open_server(Settings.from_env(environ))


@dataclass(frozen=True)
class ThrowawayDatabase:
    server: PostgresServer
    name: str
    engine: sa.Engine

    @property
    def url(self) -> str:
        return self.server.url_for(self.name)

    def truncate(self, tables: tuple[str, ...] = INGEST_TABLES) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f"vatstats.{t}" for t in tables))


@contextmanager
def throwaway_database(server: PostgresServer, label: str, *, migrated: bool = True) -> Iterator[ThrowawayDatabase]:
    """A fresh database (migrated unless told otherwise), dropped when the block ends."""
    name = f"vatstats_bench_{label}_{uuid.uuid4().hex[:8]}"
    ensure_database(server, name)
    engine = create_warehouse_engine(server.url_for(name))
    try:
        if migrated:
            migrate(engine)
        yield ThrowawayDatabase(server, name, engine)
    finally:
        engine.dispose()
        drop_database(server, name)


def server_version(server: PostgresServer) -> str:
    engine = sa.create_engine(server.url_for("postgres"), poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return str(conn.exec_driver_sql("SHOW server_version").scalar())
    finally:
        engine.dispose()
