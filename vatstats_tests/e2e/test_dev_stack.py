"""End to end: `vatstats dev --simulate` ingests the simulated feed every 15 s, runs every sensor and
schedule from the first start, and stops cleanly, also when a part of it fails."""

import signal
import time

import httpx
import psutil
import pytest
import sqlalchemy as sa

from vatstats_assets.storage.server import drop_database
from vatstats_tests.e2e.conftest import running_dev_stack

pytestmark = pytest.mark.slow


def flights_state(engine: sa.Engine) -> tuple[int, object]:
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM vatstats.flights), (SELECT max(update_timestamp) FROM vatstats.feed_snapshots)"
        )).one()


def test_dev_fills_flights_within_a_minute_and_keeps_them_current(dev_stack) -> None:
    deadline = time.monotonic() + 60
    count, latest = 0, None
    while time.monotonic() < deadline and count == 0:
        time.sleep(2)
        count, latest = flights_state(dev_stack.engine)
    assert count > 0, dev_stack.log()
    # The next snapshot (15 s later at --speed 1) arrives within a couple of polling intervals.
    deadline = time.monotonic() + 45
    newer = latest
    while time.monotonic() < deadline and newer == latest:
        time.sleep(2)
        _, newer = flights_state(dev_stack.engine)
    assert newer > latest, dev_stack.log()


def test_dev_serves_the_read_api_beside_the_ui_reading_the_same_warehouse(dev_stack) -> None:
    deadline, status = time.monotonic() + 60, {}
    while time.monotonic() < deadline and not status.get("pilots_online"):
        try:
            status = httpx.get(f"{dev_stack.api_url}/v1/network/status", timeout=5).json()
        except httpx.HTTPError:
            pass
        time.sleep(2)
    assert status.get("pilots_online", 0) > 0, dev_stack.log()
    assert httpx.get(f"{dev_stack.api_url}/docs", timeout=5).status_code == 200


INSTIGATORS = """{
  sensorsOrError(repositorySelector: {repositoryName: "__repository__", repositoryLocationName: "vatstats"}) {
    ... on Sensors { results { name sensorState { status ticks(limit: 1) { status } } } } }
  schedulesOrError(repositorySelector: {repositoryName: "__repository__", repositoryLocationName: "vatstats"}) {
    ... on Schedules { results { name scheduleState { status } } } }
}"""


def test_every_sensor_and_schedule_runs_on_the_fresh_instance(dev_stack) -> None:
    answer = httpx.post(f"{dev_stack.ui_url}/graphql", json={"query": INSTIGATORS}, timeout=30).json()["data"]
    sensors = {s["name"]: s["sensorState"] for s in answer["sensorsOrError"]["results"]}
    schedules = {s["name"]: s["scheduleState"]["status"] for s in answer["schedulesOrError"]["results"]}
    assert {"vatsim_feed_sensor", "vatstats_automation"} <= set(sensors)
    assert {name: state["status"] for name, state in sensors.items()} == dict.fromkeys(sensors, "RUNNING")
    assert schedules == dict.fromkeys(schedules, "RUNNING") and schedules
    # The automation sensor is not only on but evaluated by the daemon (every 30 s).
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        answer = httpx.post(f"{dev_stack.ui_url}/graphql", json={"query": INSTIGATORS}, timeout=30).json()["data"]
        ticks = next(s["sensorState"]["ticks"] for s in answer["sensorsOrError"]["results"]
                     if s["name"] == "vatstats_automation")
        if ticks:
            break
        time.sleep(3)
    assert ticks, dev_stack.log()


def test_sigterm_stops_everything_dev_started(dev_stack) -> None:
    process = dev_stack.process
    # dagster dev runs in its own process group: collect the whole tree before stopping it.
    tree = psutil.Process(process.pid).children(recursive=True)
    assert any("dagster" in " ".join(child.cmdline()) for child in tree)
    assert any(child.cmdline()[-5:-4] == ["serve"] for child in tree)  # the read API too
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    gone, alive = psutil.wait_procs(tree, timeout=10)
    assert alive == [], f"left running: {[p.cmdline() for p in alive]}"


def test_a_daemon_that_exits_stops_the_whole_stack_with_one_sentence(
    postgres_server, database_url, dagster_database, tmp_path
) -> None:
    own_dagster_database = f"{dagster_database}_crash"  # a stack of its own, beside the module's
    try:
        with running_dev_stack(database_url, own_dagster_database, tmp_path) as stack:
            tree = psutil.Process(stack.process.pid).children(recursive=True)
            [daemon] = [p for p in tree if "dagster._daemon" in " ".join(p.cmdline())]
            daemon.kill()
            assert stack.process.wait(timeout=60) != 0
            assert "vatstats: error: Dagster stopped while running" in stack.log(), stack.log()
            gone, alive = psutil.wait_procs(tree, timeout=10)
            assert alive == [], f"left running: {[p.cmdline() for p in alive]}"
    finally:
        drop_database(postgres_server, own_dagster_database)
