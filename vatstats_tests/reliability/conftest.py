"""Fixtures for the reliability tests: a stepped simulated feed and ingest resources on the test database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.reliability.throwaway import EmbeddedPostgres, embedded_postgres

# Short enough to keep the suite fast, long enough that `slow` is slow and `timeout` times out
# against the feed timeout the ingest resources use (ingest_runs.ingest_resources: 2 s).
SLOW_DELAY_S = 0.5
TIMEOUT_DELAY_S = 30.0


@pytest.fixture
def feed() -> Iterator[SteppedSimulator]:
    with SteppedSimulator(slow_delay_s=SLOW_DELAY_S, timeout_delay_s=TIMEOUT_DELAY_S) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def embedded() -> Iterator[EmbeddedPostgres]:
    """An embedded PostgreSQL of the module's own, which its tests stop and start."""
    with embedded_postgres() as server:
        yield server
