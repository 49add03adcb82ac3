"""End to end: `vatstats dev --simulate` ingests the simulated feed every 15 s and stops cleanly."""

import signal
import time

import psutil

import pytest
import sqlalchemy as sa

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


def test_sigterm_stops_everything_dev_started(dev_stack) -> None:
    process = dev_stack.process
    # dagster dev runs in its own process group: collect the whole tree before stopping it.
    tree = psutil.Process(process.pid).children(recursive=True)
    assert any("dagster" in " ".join(child.cmdline()) for child in tree)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    gone, alive = psutil.wait_procs(tree, timeout=10)
    assert alive == [], f"left running: {[p.cmdline() for p in alive]}"
