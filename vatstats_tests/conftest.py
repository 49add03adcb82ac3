"""Test fixtures: a real PostgreSQL for every database test, in a throwaway database per session.

VATSTATS_TEST_DATABASE_URL names a server to use (CI points it at the machine's PostgreSQL);
without it the embedded server starts under a temporary folder. Nothing is mocked.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vatstats_assets.settings import Settings
from vatstats_assets.storage.engine import create_read_engine, create_warehouse_engine
from vatstats_assets.storage.migrations import migrate
from vatstats_assets.storage.reader import READER_ROLE, enable_reader_login
from vatstats_assets.storage.server import PostgresServer, drop_database, ensure_database, open_server


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """The server tests run against: VATSTATS_TEST_DATABASE_URL, else an embedded one."""
    url = os.environ.get("VATSTATS_TEST_DATABASE_URL", "").strip()
    data_dir = Path("/tmp") / f"vatstats-test-{uuid.uuid4().hex[:8]}"
    environ = {"VATSTATS_DATABASE_URL": url, "VATSTATS_DATA_DIR": str(data_dir)}
    server = open_server(Settings.from_env(environ))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A migrated throwaway database for this test session, dropped afterwards."""
    name = f"vatstats_test_{uuid.uuid4().hex[:10]}"
    ensure_database(postgres_server, name)
    url = postgres_server.url_for(name)
    engine = create_warehouse_engine(url)
    migrate(engine)
    engine.dispose()
    yield url
    drop_database(postgres_server, name)


@pytest.fixture
def unmigrated_engine(postgres_server: PostgresServer) -> Iterator[sa.Engine]:
    """An engine on a new, empty database (no migration applied), dropped after the test."""
    name = f"vatstats_test_empty_{uuid.uuid4().hex[:8]}"
    ensure_database(postgres_server, name)
    engine = create_warehouse_engine(postgres_server.url_for(name))
    yield engine
    engine.dispose()
    drop_database(postgres_server, name)


@pytest.fixture(scope="module")
def dagster_database(postgres_server: PostgresServer) -> Iterator[str]:
    """A name for a Dagster storage database on the test server (created by whoever uses it),
    dropped after the module's tests."""
    name = f"dagster_test_{uuid.uuid4().hex[:10]}"
    yield name
    drop_database(postgres_server, name)


@pytest.fixture(scope="session")
def session_engine(database_url: str) -> Iterator[sa.Engine]:
    engine = create_warehouse_engine(database_url)
    yield engine
    engine.dispose()


# The read-only role's password in tests (the machine's server trusts 127.0.0.1; the embedded one's
# TCP door, tested on its own, does not).
TEST_READER_PASSWORD = "test-reader-password"


@pytest.fixture(scope="session")
def reader_url(database_url: str, session_engine: sa.Engine) -> str:
    """The test database as the read-only role vatstats_reader (created by migration 009)."""
    enable_reader_login(session_engine, TEST_READER_PASSWORD)
    url = make_url(database_url).set(username=READER_ROLE, password=TEST_READER_PASSWORD)
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def reader_engine(reader_url: str) -> Iterator[sa.Engine]:
    """An engine that can only read the test database, as the read API and exports connect."""
    engine = create_read_engine(reader_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(session_engine: sa.Engine) -> sa.Engine:
    """The session's engine with every warehouse table emptied first, so tests do not see each other."""
    with session_engine.begin() as conn:
        tables = conn.execute(sa.text(
            "SELECT quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'vatstats' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
            " AND c.relname <> 'schema_migrations'"
        )).scalars().all()
        if tables:
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f"vatstats.{t}" for t in tables))
    return session_engine


@pytest.fixture
def warehouse_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the project's settings at the test database (for Dagster resources and the CLI)."""
    monkeypatch.setenv("VATSTATS_DATABASE_URL", database_url)
    return make_url(database_url).render_as_string(hide_password=False)
