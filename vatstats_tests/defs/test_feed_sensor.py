"""The feed sensor, evaluated with Dagster's build_sensor_context against a real local HTTP feed."""

import json
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from vatstats_assets.core.backoff import FAILURES_BEFORE_BACKOFF, MIN_POLL_GAP, FeedPollState
from vatstats_assets.defs.ingest.sensor import vatsim_feed_sensor
from vatstats_assets.defs.resources import FeedResource
from vatstats_tests.fixtures import load_fixture_bytes
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


def tick(feed_server: FixtureFeedServer, cursor: str | None = None):
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


def test_the_feed_is_not_polled_before_the_next_snapshot_is_due(feed_server) -> None:
    just_seen = FeedPollState(last_update_timestamp=(datetime.now(UTC) - timedelta(seconds=5)).isoformat())
    context = dg.build_sensor_context(cursor=just_seen.to_cursor(),
                                      resources={"feed": FeedResource(feed_url=feed_server.status_url)})
    result = vatsim_feed_sensor.evaluate_tick(context)
    assert feed_server.requests == 0
    assert "not polled" in result.skip_message
