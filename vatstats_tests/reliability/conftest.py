"""Fixtures for the reliability tests: a stepped simulated feed, simulated snapshot files, a reference
warehouse they were replayed into, and an embedded PostgreSQL the tests may stop and start."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from vatstats_assets.commands import replay
from vatstats_assets.sim import write_offline
from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_assets.storage.server import PostgresServer
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.reliability.throwaway import EmbeddedPostgres, embedded_postgres, throwaway_database

# Short enough to keep the suite fast, long enough that `slow` is slow and `timeout` times out
# against the feed timeout the ingest resources use (ingest_runs.FEED_TIMEOUT_S).
SLOW_DELAY_S = 0.3
TIMEOUT_DELAY_S = 30.0

# A quarter of an hour inside one UTC day (one daily partition) with 150 pilots: about 25
# departures and 25 arrivals, 60 snapshots, replayed in a few seconds.
SIMULATED_START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
SIMULATED_DAY = SIMULATED_START.date().isoformat()
SIMULATED_HOURS = 0.25
SIMULATED_PILOTS = 150


@pytest.fixture
def feed() -> Iterator[SteppedSimulator]:
    with SteppedSimulator(slow_delay_s=SLOW_DELAY_S, timeout_delay_s=TIMEOUT_DELAY_S) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def embedded() -> Iterator[EmbeddedPostgres]:
    """An embedded PostgreSQL of the module's own, which its tests stop and start."""
    with embedded_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def snapshot_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Simulated snapshot files (*.json.gz), as `vatstats simulate --offline` writes them."""
    folder = tmp_path_factory.mktemp("snapshots")
    write_offline(folder, hours=SIMULATED_HOURS, pilots=SIMULATED_PILOTS, seed=5, start=SIMULATED_START)
    return folder


def replay_folder(folder: Path, database_url: str) -> int:
    """`vatstats replay FOLDER --region global` in this process, into `database_url`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VATSTATS_DATABASE_URL", database_url)
        return replay.main([str(folder), "--region", "global", "--quiet"])


@pytest.fixture(scope="session")
def reference_warehouse(postgres_server: PostgresServer, snapshot_folder: Path) -> Iterator[sa.Engine]:
    """A database of its own into which the snapshot folder was replayed once, without incident."""
    with throwaway_database(postgres_server, "reference") as url:
        assert replay_folder(snapshot_folder, url) == 0
        engine = create_warehouse_engine(url)
        yield engine
        engine.dispose()
