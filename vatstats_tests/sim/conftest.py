"""Shared fixtures for the simulator tests."""

from __future__ import annotations

import pytest

from vatstats_tests.sim.coverage_sample import CoverageSample, simulate_coverage
from vatstats_tests.sim.simulated_day import SimulatedDay, simulate_day


@pytest.fixture(scope="session")
def simulated_day() -> SimulatedDay:
    return simulate_day()


@pytest.fixture(scope="session")
def coverage_sample() -> CoverageSample:
    return simulate_coverage()
