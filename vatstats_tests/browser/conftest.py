"""Fixtures for the browser test: the running dev stack, Dagster's GraphQL API, headless Chromium.

The stack is the e2e tests' `dev_stack` (`vatstats dev --simulate` started as a user starts it), so
the browser sees exactly what a newcomer sees after the README's first command, plus an hour of
simulated traffic stored just before it starts, so today's movements are real numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_tests.browser.todays_traffic import (
    SimulatedPeriod,
    create_tick_partitions,
    period_before,
    store_simulated_period,
)
from vatstats_tests.e2e.conftest import DevStack, dev_stack  # noqa: F401 - re-exported as this package's fixture

# Debian's package (installed by .ci/run): Playwright cannot download a browser here.
CHROMIUM = Path("/usr/bin/chromium")
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}

# Three ticks give the metadata plots a line, not a dot (one tick every 15 s at --speed 1).
INGEST_RUNS_WANTED = 3
READY_TIMEOUT_S = 150

INGEST_SUCCESSES = """
query IngestSuccesses($limit: Int) {
  runsOrError(filter: {pipelineName: "ingest_job", statuses: [SUCCESS]}, limit: $limit) {
    __typename ... on Runs { results { runId } }
  }
}"""

# What the UI's "Materialize" button does for a partition: a backfill, run by the daemon.
LAUNCH_BACKFILL = """
mutation LaunchBackfill($partitions: [String!]!) {
  launchPartitionBackfill(backfillParams: {
    partitionNames: $partitions, assetSelection: [{path: ["traffic_movements"]}], title: "browser test: today"
  }) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on UnauthorizedError { message }
  }
}"""

BACKFILL_STATUS = """
query BackfillStatus($id: String!) {
  partitionBackfillOrError(backfillId: $id) { __typename ... on PartitionBackfill { status } }
}"""

BACKFILL_DONE = {"COMPLETED", "COMPLETED_SUCCESS"}
BACKFILL_FAILED = {"FAILED", "FAILING", "COMPLETED_FAILED", "CANCELED", "CANCELING"}


@dataclass(frozen=True)
class DagsterGraphQL:
    """Dagster's own GraphQL API, as the UI calls it."""

    url: str

    def execute(self, document: str, **variables: Any) -> dict[str, Any]:
        response = httpx.post(f"{self.url}/graphql", json={"query": document, "variables": variables}, timeout=30)
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise AssertionError(f"GraphQL errors: {body['errors']}")
        return body["data"]


@dataclass(frozen=True)
class LiveUI:
    """The UI once ingest runs have succeeded and today's traffic_movements partition is materialised."""

    url: str
    today: str
    stack: DevStack


def wait_until(ready: Callable[[], bool], what: str, stack: DevStack, timeout_s: float = READY_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout_s:.0f} s\n{stack.log()}")
        if stack.process.poll() is not None:
            raise RuntimeError(f"vatstats dev exited with {stack.process.returncode} before {what}\n{stack.log()}")
        time.sleep(1)


def launch_backfill(graphql: DagsterGraphQL, partition: date) -> str:
    result = graphql.execute(LAUNCH_BACKFILL, partitions=[partition.isoformat()])["launchPartitionBackfill"]
    if result["__typename"] != "LaunchBackfillSuccess":
        raise AssertionError(f"the backfill was not launched: {result}")
    return result["backfillId"]


def backfill_finished(graphql: DagsterGraphQL, backfill_id: str) -> bool:
    status = graphql.execute(BACKFILL_STATUS, id=backfill_id)["partitionBackfillOrError"]["status"]
    if status in BACKFILL_FAILED:
        raise AssertionError(f"backfill {backfill_id} ended {status}")
    return status in BACKFILL_DONE


def ingest_runs_succeeded(graphql: DagsterGraphQL) -> int:
    runs = graphql.execute(INGEST_SUCCESSES, limit=INGEST_RUNS_WANTED)["runsOrError"]
    return len(runs.get("results", []))


@pytest.fixture(scope="module")
def todays_traffic(database_url: str) -> SimulatedPeriod:
    """An hour of simulated traffic, ended just before now, in the warehouse the dev stack will use."""
    period = period_before(datetime.now(UTC))
    engine = create_warehouse_engine(database_url)
    try:
        create_tick_partitions(engine, period)
        store_simulated_period(engine, period)
    finally:
        engine.dispose()
    return period


# todays_traffic comes first: pytest sets up same-scope fixtures in argument order, so the hour is
# stored before `vatstats dev` starts and the live simulator's snapshots are all newer.
@pytest.fixture(scope="module")
def live_ui(todays_traffic: SimulatedPeriod, dev_stack: DevStack) -> LiveUI:  # noqa: F811 - imported fixture
    graphql = DagsterGraphQL(dev_stack.ui_url)
    # The day holding most of the stored hour: today, except in the first half hour after midnight
    # UTC, when yesterday's partition is the one with movements to show.
    today = (todays_traffic.start + timedelta(hours=todays_traffic.hours / 2)).date()
    # Launched first: its run (a process per step) takes longest, and runs beside ingestion.
    backfill_id = launch_backfill(graphql, today)
    wait_until(lambda: ingest_runs_succeeded(graphql) >= INGEST_RUNS_WANTED,
               f"{INGEST_RUNS_WANTED} successful ingest runs", dev_stack)
    wait_until(lambda: backfill_finished(graphql, backfill_id), f"the backfill of traffic_movements {today}", dev_stack)
    return LiveUI(dev_stack.ui_url, today.isoformat(), dev_stack)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile per test: no UI state (expanded groups, zoom) carries over."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    # Assertions wait as long as actions: the UI's pages took over 5 s (expect's default) to show
    # their data while the shared 2-core machine ran another `vatstats dev` beside the tests.
    expect.set_options(timeout=30_000)
    yield context.new_page()
    context.close()
