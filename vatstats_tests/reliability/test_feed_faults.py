"""Every fault mode of the simulated feed, through the ingest asset, against a real PostgreSQL.

A failed fetch is named in the run's log, retried (HTTP 429 excepted: the server said when to ask
again, and the sensor waits that long), and writes nothing; the next good snapshot is ingested as
usual. A snapshot already stored or older than the newest is reported and changes nothing. Unknown
fields and missing optional fields are no reason to refuse a snapshot.
"""

import dagster as dg
import orjson
import pytest
import sqlalchemy as sa

from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.defs.ingest.sensor import vatsim_feed_sensor
from vatstats_assets.defs.resources import FeedResource
from vatstats_assets.feed_client import DEFAULT_MAX_BODY_BYTES
from vatstats_assets.sim.faults import RETRY_AFTER_S
from vatstats_tests.reliability.ingest_runs import IngestRun, ingest_resources, run_ingest
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.reliability.warehouse_checksums import row_counts, warehouse_checksums

# fault mode -> what the run's log says about it (after "The VATSIM feed could not be ingested: ")
FAILED_FETCHES = {
    "http500": "answered HTTP 500 Internal Server Error",
    "timeout": "did not answer within",
    "truncated": "feed body is not valid JSON (truncated?)",
    "invalid_json": "feed body is not valid JSON at byte 0",
    "empty": "feed body is empty",
    "oversized": f"sent a body over the {DEFAULT_MAX_BODY_BYTES:,}-byte limit",
}


def served_snapshot(feed: SteppedSimulator) -> dict:
    """The snapshot the feed serves now, as the ingest will see it."""
    return orjson.loads(feed.snapshot_body()[1])


def stored_snapshots(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT update_timestamp FROM vatstats.feed_snapshots ORDER BY 1")).scalars().all()


def assert_ingested(engine: sa.Engine, run: IngestRun, snapshot: dict) -> None:
    """The run stored this snapshot completely: its row, every pilot and every ATC connection."""
    assert run.success, run.messages
    assert run.materialized == {
        "raw_feed_snapshot", "flights", "atc_positions", "flight_positions", "transceiver_tunings",
    }
    parsed = parse_snapshot(orjson.dumps(snapshot))
    with engine.connect() as conn:
        pilots, controllers, skipped = conn.execute(sa.text(
            "SELECT pilots_stored, controllers_stored, skipped_records FROM vatstats.feed_snapshots"
            " WHERE update_timestamp = :ts"), {"ts": parsed.update_timestamp}).one()
        current = conn.execute(sa.text("SELECT count(*) FROM vatstats.current_flights")).scalar_one()
    assert (pilots, controllers, skipped) == (len(parsed.pilots), len(parsed.controllers), 0)
    assert current == len(parsed.pilots)


def log_says(run: IngestRun, *fragments: str) -> bool:
    return any(all(f in message for f in fragments) for message in run.messages if message)


@pytest.fixture
def resources(database_url: str, feed: SteppedSimulator) -> dict:
    return ingest_resources(database_url, feed.data_url)


@pytest.mark.parametrize("mode", FAILED_FETCHES)
def test_a_failed_fetch_is_named_in_the_run_log_retried_and_the_snapshot_then_stored_whole(
    engine, feed, resources, mode
) -> None:
    feed.fail_next(mode)  # the first attempt meets the fault; the retry finds the feed healthy

    run = run_ingest(resources)

    assert log_says(run, "The VATSIM feed could not be ingested", FAILED_FETCHES[mode])
    assert len(run.events_of(dg.DagsterEventType.STEP_UP_FOR_RETRY)) == 1
    assert feed.data_requests == 2
    assert_ingested(engine, run, served_snapshot(feed))
    assert len(stored_snapshots(engine)) == 1


def test_a_rate_limited_fetch_fails_at_once_and_the_sensor_waits_for_retry_after(
    engine, feed, resources
) -> None:
    feed.set_fault("http429")

    run = run_ingest(resources)

    assert not run.success
    assert feed.data_requests == 1  # no retry sooner than the server asked for
    assert run.events_of(dg.DagsterEventType.STEP_UP_FOR_RETRY) == []
    assert log_says(run, "HTTP 429", f"retry after {RETRY_AFTER_S} s")
    assert set(row_counts(engine).values()) == {0}
    sensor_context = dg.build_sensor_context(resources={"feed": FeedResource(feed_url=feed.data_url, timeout_s=2)})
    skip = vatsim_feed_sensor.evaluate_tick(sensor_context)
    assert skip.run_requests == [] and "HTTP 429" in skip.skip_message and "pausing until" in skip.skip_message

    feed.set_fault(None)
    assert_ingested(engine, run_ingest(resources), served_snapshot(feed))


def test_a_slow_feed_within_the_timeout_is_ingested_at_the_first_attempt(engine, feed, resources) -> None:
    feed.set_fault("slow")

    run = run_ingest(resources)

    assert feed.data_requests == 1
    assert_ingested(engine, run, served_snapshot(feed))


def test_the_previous_snapshot_served_again_is_reported_already_stored_and_changes_nothing(
    engine, feed, resources
) -> None:
    assert run_ingest(resources).success
    feed.step()
    feed.set_fault("previous")  # a lagging mirror: the snapshot just stored, once more
    before = warehouse_checksums(engine)

    run = run_ingest(resources)

    assert run.success and run.materialized == set()
    assert log_says(run, "is already stored; nothing to do")
    assert warehouse_checksums(engine) == before

    feed.set_fault(None)
    assert_ingested(engine, run_ingest(resources), served_snapshot(feed))
    assert len(stored_snapshots(engine)) == 2


def test_an_older_snapshot_is_reported_skipped_and_changes_nothing(engine, feed, resources) -> None:
    assert run_ingest(resources).success
    feed.set_fault("older")
    before = warehouse_checksums(engine)

    run = run_ingest(resources)

    assert run.success and run.materialized == set()
    assert log_says(run, "is older than the newest stored", "skipped")
    assert warehouse_checksums(engine) == before

    feed.set_fault(None)
    feed.step()
    assert_ingested(engine, run_ingest(resources), served_snapshot(feed))


def test_unknown_extra_fields_at_every_level_are_ignored(engine, feed, resources) -> None:
    feed.set_fault("extra_fields")

    assert_ingested(engine, run_ingest(resources), served_snapshot(feed))


def test_a_snapshot_missing_optional_fields_is_stored_with_them_empty(engine, feed, resources) -> None:
    feed.set_fault("missing_optional")

    assert_ingested(engine, run_ingest(resources), served_snapshot(feed))
    with engine.connect() as conn:
        filled = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM vatstats.flights"
            "        WHERE military_rating IS NOT NULL OR assigned_transponder IS NOT NULL)"
            "     + (SELECT count(*) FROM vatstats.atc_positions WHERE text_atis IS NOT NULL)"
        )).scalar_one()
    assert filled == 0
