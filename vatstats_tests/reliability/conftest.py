"""Fixtures for the reliability tests: a stepped simulated feed, simulated snapshot files, a reference
warehouse they were replayed into, and an embedded PostgreSQL the tests may stop and start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_assets.storage.server import PostgresServer
from vatstats_tests.reliability.snapshot_files import replay_folder, write_snapshot_files
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.reliability.throwaway import EmbeddedPostgres, embedded_postgres, throwaway_database

# Short enough to keep the suite fast, long enough that `slow` is slow and `timeout` times out
# against the feed timeout the ingest resources use (ingest_runs.FEED_TIMEOUT_S).
SLOW_DELAY_S = 0.3
TIMEOUT_DELAY_S = 30.0


@pytest.fixture
def feed() -> Iterator[SteppedSimulator]:
    with SteppedSimulator(slow_delay_s=SLOW_DELAY_S, timeout_delay_s=TIMEOUT_DELAY_S) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def embedded_server() -> Iterator[EmbeddedPostgres]:
    with embedded_postgres() as server:
        yield server


@pytest.fixture
def embedded(embedded_server: EmbeddedPostgres) -> EmbeddedPostgres:
    """An embedded PostgreSQL of the module's own, which its tests stop and start; its warehouse empty."""
    embedded_server.empty_warehouse()
    return embedded_server


@pytest.fixture(scope="session")
def snapshot_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Simulated snapshot files (*.json.gz), as `vatstats simulate --offline` writes them."""
    folder = tmp_path_factory.mktemp("snapshots")
    write_snapshot_files(folder)
    return folder


@pytest.fixture(scope="session")
def reference_warehouse(postgres_server: PostgresServer, snapshot_folder: Path) -> Iterator[sa.Engine]:
    """A database of its own into which the snapshot folder was replayed once, without incident."""
    with throwaway_database(postgres_server, "reference") as url:
        assert replay_folder(snapshot_folder, url) == 0
        engine = create_warehouse_engine(url)
        yield engine
        engine.dispose()
