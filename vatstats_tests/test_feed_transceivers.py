"""The transceivers feed fetched beside the data feed: found, bounded, and never the tick's downfall."""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import count

import httpx
import orjson
import pytest

from vatstats_assets.feed_client import FeedClient
from vatstats_tests.loopback_server import LoopbackServer
from vatstats_tests.test_feed_client import FEED_BODY, FakeNetwork, serve

TRANSCEIVERS = orjson.dumps([{"callsign": "QFA1", "transceivers": [
    {"id": 0, "frequency": 124500000, "latDeg": -33.9, "lonDeg": 151.2, "heightMslM": 10.0, "heightAglM": 5.0}]}])
_unique = count()


def status_url() -> str:
    return f"https://status.test/tx{next(_unique)}/status.json"


def status_with(data: dict) -> bytes:
    return orjson.dumps({"data": data})


def test_the_transceivers_url_listed_in_status_json_is_fetched_with_the_snapshot():
    status = status_url()
    network = FakeNetwork({
        status: serve(status_with({"v3": ["https://data.test/a.json"], "transceivers": ["https://tx.test/t.json"]})),
        "https://data.test/a.json": serve(),
        "https://tx.test/t.json": serve(TRANSCEIVERS),
    })
    with network.client(status) as client:
        fetched, transceivers = client.fetch_with_transceivers()
        again, _ = client.fetch_with_transceivers()
    assert fetched.body == FEED_BODY and again.body == FEED_BODY
    assert (transceivers.body, transceivers.missing) == (TRANSCEIVERS, None)
    assert network.urls.count(status) == 1  # the transceivers URL is remembered with the data URLs


def test_a_directly_configured_data_url_finds_the_transceivers_feed_next_to_it():
    network = FakeNetwork({
        "http://sim.test/v3/vatsim-data.json": serve(),
        "http://sim.test/v3/transceivers-data.json": serve(TRANSCEIVERS),
    })
    with network.client("http://sim.test/v3/vatsim-data.json") as client:
        _, transceivers = client.fetch_with_transceivers()
    assert transceivers.body == TRANSCEIVERS


def test_a_data_url_handed_over_by_the_sensor_finds_the_transceivers_feed_next_to_it():
    status = status_url()
    network = FakeNetwork({
        "https://data.test/v3/vatsim-data.json": serve(),
        "https://data.test/v3/transceivers-data.json": serve(TRANSCEIVERS),
    })
    with network.client(status) as client:
        _, transceivers = client.fetch_with_transceivers(data_url="https://data.test/v3/vatsim-data.json")
    assert transceivers.body == TRANSCEIVERS
    assert status not in network.urls


def test_a_status_json_offering_no_transceivers_feed_says_so_and_the_snapshot_still_arrives():
    status = status_url()
    network = FakeNetwork({status: serve(status_with({"v3": ["https://data.test/a.json"]})),
                           "https://data.test/a.json": serve()})
    with network.client(status) as client:
        fetched, transceivers = client.fetch_with_transceivers()
    assert fetched.body == FEED_BODY
    assert transceivers.body is None
    assert transceivers.missing == f"{status} offers no transceivers feed (no 'data.transceivers' URL)"


@pytest.mark.parametrize(("answer", "reason"), [
    (serve(status=500), "answered HTTP 500"),
    (serve(status=429, **{"Retry-After": "30"}), "answered HTTP 429"),
    (serve(b"x" * 2_000, **{"Content-Length": "2000"}), "over the 1,000-byte limit"),
])
def test_a_transceivers_feed_that_fails_is_missing_with_its_reason_and_the_snapshot_arrives(answer, reason):
    network = FakeNetwork({"http://sim.test/v3/vatsim-data.json": serve(),
                           "http://sim.test/v3/transceivers-data.json": answer})
    with network.client("http://sim.test/v3/vatsim-data.json", max_transceivers_bytes=1_000) as client:
        fetched, transceivers = client.fetch_with_transceivers()
    assert fetched.body == FEED_BODY
    assert transceivers.body is None
    assert transceivers.missing.startswith("the transceivers feed could not be fetched: ")
    assert reason in transceivers.missing


def test_an_unreachable_transceivers_feed_is_missing_not_an_error():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    network = FakeNetwork({"http://sim.test/v3/vatsim-data.json": serve(),
                           "http://sim.test/v3/transceivers-data.json": refuse})
    with network.client("http://sim.test/v3/vatsim-data.json") as client:
        _, transceivers = client.fetch_with_transceivers()
    assert "connection refused" in transceivers.missing


class SlowFeedServer(LoopbackServer):
    """Data and transceivers answers that each take a set time (the transceivers' wait ends early
    when the server closes)."""

    def __init__(self, data_delay_s: float, transceivers_delay_s: float) -> None:
        self.data_delay_s = data_delay_s
        self.transceivers_delay_s = transceivers_delay_s
        super().__init__(self._answer)
        self.data_url = f"{self.base_url}/v3/vatsim-data.json"

    def _answer(self, path: str, user_agent: str) -> tuple[bytes, dict[str, str]] | None:
        if path == "/v3/vatsim-data.json":
            time.sleep(self.data_delay_s)
            return FEED_BODY, {}
        if path == "/v3/transceivers-data.json":
            self.release.wait(timeout=self.transceivers_delay_s)
            return TRANSCEIVERS, {}
        return None


@pytest.fixture
def slow_transceivers() -> Iterator[SlowFeedServer]:
    with SlowFeedServer(data_delay_s=0.0, transceivers_delay_s=10.0) as server:
        yield server


def test_a_transceivers_feed_slower_than_its_timeout_is_given_up_and_the_snapshot_returned(slow_transceivers):
    started = time.monotonic()
    with FeedClient(slow_transceivers.data_url, timeout_s=10, transceivers_timeout_s=0.3) as client:
        fetched, transceivers = client.fetch_with_transceivers()
    assert time.monotonic() - started < 2
    assert fetched.body == FEED_BODY
    assert "did not answer within 0.3 s" in transceivers.missing


def test_both_feeds_download_at_the_same_time():
    with SlowFeedServer(data_delay_s=0.6, transceivers_delay_s=0.6) as server:
        started = time.monotonic()
        with FeedClient(server.data_url, transceivers_timeout_s=3) as client:
            _, transceivers = client.fetch_with_transceivers()
        elapsed = time.monotonic() - started
    assert transceivers.body == TRANSCEIVERS
    assert elapsed < 1.1  # one after the other would take 1.2 s at least
