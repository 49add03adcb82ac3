"""The feed sensor, evaluated with Dagster's build_sensor_context against a real local HTTP feed.

FixtureFeedServer ignores Range and validators (every answer a whole 200); the stepped simulator
honours both, as a CDN would, and counts what it served.
"""

import json
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from vatstats_assets.core.backoff import (
    FAILURES_BEFORE_BACKOFF,
    FEED_CADENCE,
    MIN_POLL_GAP,
    PUBLISH_MARGIN,
    FeedPollState,
)
from vatstats_assets.defs.ingest.sensor import vatsim_feed_sensor
from vatstats_assets.defs.resources import FeedResource
from vatstats_tests.fixtures import load_fixture_bytes
from vatstats_tests.reliability.ingest_runs import ingest_resources, run_ingest
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.support.feed_server import FixtureFeedServer


@pytest.fixture
def feed_server():
    with FixtureFeedServer() as server:
        server.body = load_fixture_bytes("2024-02-20")
        yield server


def poll_gap_passed(cursor: str | None) -> str | None:
    """The cursor as it stands once the minimum gap since its last poll has passed."""
    if cursor is None:
        return None
    state = json.loads(cursor)
    if state.get("last_polled_at"):
        state["last_polled_at"] = (datetime.fromisoformat(state["last_polled_at"]) - MIN_POLL_GAP).isoformat()
    return json.dumps(state)


def tick(feed_server: FixtureFeedServer | SteppedSimulator, cursor: str | None = None):
    context = dg.build_sensor_context(cursor=poll_gap_passed(cursor), resources={"feed": FeedResource(feed_url=feed_server.status_url, timeout_s=5)})
    result = vatsim_feed_sensor.evaluate_tick(context)
    return result, result.cursor


def test_a_new_snapshot_requests_one_run_keyed_by_its_update_timestamp(feed_server) -> None:
    result, cursor = tick(feed_server)
    [request] = result.run_requests
    assert request.run_key == "2024-02-20T23:19:51.947440+00:00"
    assert request.tags["vatstats/lane"] == "ingest"
    assert json.loads(cursor)["last_update_timestamp"] == request.run_key


def test_the_same_snapshot_again_requests_nothing(feed_server) -> None:
    _, cursor = tick(feed_server)
    result, _ = tick(feed_server, cursor)
    assert result.run_requests == []
    assert "No new snapshot" in result.skip_message


def test_a_feed_failure_is_counted_and_explained(feed_server) -> None:
    feed_server.status = 500
    result, cursor = tick(feed_server)
    assert result.run_requests == []
    assert "HTTP 500" in result.skip_message
    assert json.loads(cursor)["consecutive_failures"] == 1


def test_repeated_failures_back_off_without_polling_the_feed(feed_server) -> None:
    feed_server.status = 500
    cursor = None
    for _ in range(FAILURES_BEFORE_BACKOFF):
        _, cursor = tick(feed_server, cursor)
    polled = feed_server.requests
    result, cursor = tick(feed_server, cursor)
    assert feed_server.requests == polled  # paused: the feed was left alone
    assert "Backing off" in result.skip_message


def test_the_sensor_recovers_by_itself_when_the_feed_returns(feed_server) -> None:
    feed_server.status = 500
    _, cursor = tick(feed_server)
    feed_server.status = 200
    result, cursor = tick(feed_server, cursor)
    assert len(result.run_requests) == 1
    assert json.loads(cursor)["consecutive_failures"] == 0


def test_a_429_pauses_for_its_retry_after(feed_server) -> None:
    feed_server.status = 429
    result, cursor = tick(feed_server)
    assert json.loads(cursor)["paused_until"] is not None
    polled = feed_server.requests
    tick(feed_server, cursor)
    assert feed_server.requests == polled


def test_a_snapshot_due_before_the_next_evaluation_is_polled_for_on_time_not_a_loop_late(feed_server) -> None:
    # Due in 0.3 s: the sensor waits that long and polls, rather than skipping to the loop 5 s on.
    due_soon = datetime.now(UTC) - FEED_CADENCE - PUBLISH_MARGIN + timedelta(seconds=0.3)
    context = dg.build_sensor_context(cursor=FeedPollState(last_update_timestamp=due_soon.isoformat()).to_cursor(),
                                      resources={"feed": FeedResource(feed_url=feed_server.status_url)})
    result = vatsim_feed_sensor.evaluate_tick(context)
    assert len(result.run_requests) == 1 and feed_server.requests == 1
    assert datetime.fromisoformat(json.loads(result.cursor)["last_polled_at"]) >= due_soon + FEED_CADENCE + PUBLISH_MARGIN


def test_the_feed_is_not_polled_before_the_next_snapshot_is_due(feed_server) -> None:
    just_seen = FeedPollState(last_update_timestamp=(datetime.now(UTC) - timedelta(seconds=5)).isoformat())
    context = dg.build_sensor_context(cursor=just_seen.to_cursor(),
                                      resources={"feed": FeedResource(feed_url=feed_server.status_url)})
    result = vatsim_feed_sensor.evaluate_tick(context)
    assert feed_server.requests == 0
    assert "not polled" in result.skip_message


# --- what a poll costs, against a feed that answers validators and Range --------------------------


@pytest.fixture
def cdn_feed():
    # A day in the past, so every snapshot is already due when the sensor looks; 600 pilots, as
    # `vatstats dev --simulate` serves (about 100 KB a gzip body).
    with SteppedSimulator(pilots=600, start=datetime.now(UTC) - timedelta(days=1)) as simulator:
        yield simulator


def data_traffic(feed: SteppedSimulator) -> dict[str, dict[str, int]]:
    return feed.traffic().get("/v3/vatsim-data.json", {})


def feed_requests(feed: SteppedSimulator, path: str) -> int:
    return sum(entry["requests"] for entry in feed.traffic().get(path, {}).values())


def full_body_bytes(feed: SteppedSimulator) -> int:
    return len(feed.current_representation(gzipped=True).body)


def test_a_new_snapshot_costs_the_sensor_a_few_kb_not_a_body(cdn_feed) -> None:
    result, _ = tick(cdn_feed)
    assert [r.run_key for r in result.run_requests] == [cdn_feed.current_tick().moment.isoformat()]
    served = data_traffic(cdn_feed)
    assert set(served) == {"206"}  # no full download
    assert served["206"]["bytes"] < full_body_bytes(cdn_feed) / 20


def test_an_unchanged_snapshot_is_a_304_and_requests_nothing(cdn_feed) -> None:
    _, cursor = tick(cdn_feed)
    result, _ = tick(cdn_feed, cursor)
    assert result.run_requests == []
    assert result.skip_message.endswith("(HTTP 304).")
    assert data_traffic(cdn_feed)["304"] == {"requests": 1, "bytes": 0}


def test_the_next_snapshot_after_a_304_requests_its_run(cdn_feed) -> None:
    _, cursor = tick(cdn_feed)
    _, cursor = tick(cdn_feed, cursor)
    cdn_feed.step()
    result, cursor = tick(cdn_feed, cursor)
    [request] = result.run_requests
    assert request.run_key == cdn_feed.current_tick().moment.isoformat()
    assert request.run_config["ops"]["ingest_snapshot"]["config"]["data_url"] == cdn_feed.data_url
    assert json.loads(cursor)["etag"] == cdn_feed.current_representation(gzipped=False).etag


def test_sensor_and_ingest_run_together_download_each_snapshot_about_once(cdn_feed, engine, database_url) -> None:
    resources = ingest_resources(database_url, cdn_feed.status_url, timeout_s=5)
    snapshots, cursor = 6, None
    for _ in range(snapshots):
        cdn_feed.step()
        result, cursor = tick(cdn_feed, cursor)
        [request] = result.run_requests
        assert run_ingest(resources, **request.run_config["ops"]["ingest_snapshot"]["config"]).success
        _, cursor = tick(cdn_feed, cursor)  # polled again before the next snapshot is out: a 304
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM vatstats.feed_snapshots").scalar() == snapshots
    served = data_traffic(cdn_feed)
    full = served["200"]["bytes"] / served["200"]["requests"]
    assert served["200"]["requests"] == snapshots  # the runs' downloads, and only those
    assert feed_requests(cdn_feed, "/status.json") == 1  # the sensor's discovery; the runs are told the data URL
    assert sum(entry["bytes"] for entry in served.values()) / full / snapshots <= 1.05
