"""The feed client's snapshot check: a few KB or a 304 tell which snapshot is current, never the body.

Against the simulator (which answers validators and Range as a CDN would), against servers that
ignore both, and against faked answers for the cases no well-behaved server produces.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import orjson
import pytest

from vatstats_assets.core.feed import FeedFormatError
from vatstats_assets.feed_client import (
    CHECK_PREFIX_BYTES,
    FeedClient,
    FeedRateLimited,
    FeedUnavailable,
    Validators,
)
from vatstats_tests.fixtures import feed_fixture_path, load_fixture_bytes
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.support.feed_server import FixtureFeedServer

DATA_URL = "https://data.test/v3/vatsim-data.json"
FIXTURE_STAMP = datetime(2024, 2, 20, 23, 19, 51, 947440, tzinfo=UTC)


@pytest.fixture
def sim() -> Iterator[SteppedSimulator]:
    with SteppedSimulator(pilots=300, start=datetime.now(UTC) - timedelta(days=1)) as simulator:
        yield simulator


def data_traffic(sim: SteppedSimulator) -> dict[str, dict[str, int]]:
    return sim.traffic().get("/v3/vatsim-data.json", {})


def full_body_bytes(sim: SteppedSimulator) -> int:
    """What one full download of the current snapshot costs (gzip, as the ingest run asks for it)."""
    return len(sim.current_representation(gzipped=True).body)


# --- against the simulator -------------------------------------------------------------------


def test_a_snapshot_is_learnt_from_the_first_2_kb_of_the_plain_json(sim):
    with FeedClient(sim.status_url) as client:
        check = client.check_for_new_snapshot()
    assert check.update_timestamp == sim.current_tick().moment
    assert check.url == sim.data_url
    assert check.validators is not None and check.validators.etag and check.validators.last_modified
    assert data_traffic(sim) == {"206": {"requests": 1, "bytes": CHECK_PREFIX_BYTES}}
    assert check.bytes_received == CHECK_PREFIX_BYTES < full_body_bytes(sim) / 20


def test_an_unchanged_snapshot_answers_304_with_no_body(sim):
    with FeedClient(sim.status_url) as client:
        first = client.check_for_new_snapshot()
        again = client.check_for_new_snapshot(first.validators)
    assert again.unchanged and again.update_timestamp is None
    assert again.validators == first.validators and again.bytes_received == 0
    assert data_traffic(sim)["304"] == {"requests": 1, "bytes": 0}


def test_the_next_snapshot_is_seen_through_the_same_validators(sim):
    with FeedClient(sim.status_url) as client:
        first = client.check_for_new_snapshot()
        sim.step()
        second = client.check_for_new_snapshot(first.validators)
    assert second.update_timestamp == sim.current_tick().moment > first.update_timestamp
    assert second.validators.etag != first.validators.etag


def test_if_modified_since_alone_also_gives_a_304(sim):
    with FeedClient(sim.status_url) as client:
        first = client.check_for_new_snapshot()
        again = client.check_for_new_snapshot(Validators(first.url, last_modified=first.validators.last_modified))
    assert again.unchanged


def test_the_full_download_is_unchanged_by_the_check(sim):
    with FeedClient(sim.status_url) as client:
        check = client.check_for_new_snapshot()
        fetched = client.fetch()
    assert orjson.loads(fetched.body)["general"]["update_timestamp"] == sim.current_tick().update_timestamp
    assert check.update_timestamp == sim.current_tick().moment
    assert data_traffic(sim)["200"] == {"requests": 1, "bytes": full_body_bytes(sim)}


# --- against servers that ignore Range and validators ------------------------------------------


def test_a_server_that_ignores_range_is_read_only_until_the_timestamp_shows():
    with FixtureFeedServer() as server:
        server.body = load_fixture_bytes("2024-02-20")  # 696 KB of plain JSON, always 200
        with FeedClient(server.status_url) as client:
            first = client.check_for_new_snapshot()
            second = client.check_for_new_snapshot(first.validators)
    assert first.update_timestamp == second.update_timestamp == FIXTURE_STAMP
    assert first.validators is None  # nothing to ask "changed since?" with: every check is a 200
    assert first.bytes_received < len(server.body) / 5
    assert server.requests == 2


def test_a_server_that_sends_gzip_and_the_whole_body_anyway_is_decoded_and_cut_short():
    compressed = feed_fixture_path("2024-02-20").read_bytes()
    asked: list[httpx.Request] = []

    def whole_gzip_body(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, headers={"Content-Encoding": "gzip", "ETag": '"a"'},
                              stream=httpx.ByteStream(compressed))

    with FeedClient(DATA_URL, transport=httpx.MockTransport(whole_gzip_body)) as client:
        check = client.check_for_new_snapshot()
    assert check.update_timestamp == FIXTURE_STAMP
    assert check.validators == Validators(DATA_URL, etag='"a"')
    [request] = asked
    assert request.headers["Range"] == f"bytes=0-{CHECK_PREFIX_BYTES - 1}"
    assert request.headers["Accept-Encoding"] == "identity"


# --- the rare and the wrong ---------------------------------------------------------------------


class Answers:
    """A faked data URL: one answer per request, in order; records what was asked."""

    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0)

    def client(self) -> FeedClient:
        return FeedClient(DATA_URL, transport=httpx.MockTransport(self))


def streamed(body: bytes, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={"Content-Length": str(len(body)), **headers},
                          stream=httpx.ByteStream(body))


def test_a_body_that_does_not_begin_with_general_is_downloaded_whole_to_find_out():
    pilots_first = orjson.dumps({"pilots": [{"callsign": f"P{i}"} for i in range(400)], "controllers": [],
                                 "general": {"update_timestamp": "2024-02-20T23:19:51.9474401Z"}})
    feed = Answers(streamed(pilots_first[:CHECK_PREFIX_BYTES], 206), streamed(gzip.compress(pilots_first),
                                                                              **{"Content-Encoding": "gzip"}))
    with feed.client() as client:
        check = client.check_for_new_snapshot()
    assert check.update_timestamp == FIXTURE_STAMP
    assert [("Range" in r.headers) for r in feed.requests] == [True, False]


def test_a_small_broken_body_that_came_whole_is_judged_without_a_second_request():
    feed = Answers(streamed(b"<html>502 Bad Gateway</html>"))
    with feed.client() as client, pytest.raises(FeedFormatError, match="not valid JSON"):
        client.check_for_new_snapshot()
    assert len(feed.requests) == 1


def test_validators_are_sent_only_to_the_url_they_came_from():
    feed = Answers(streamed(load_fixture_bytes("2024-02-20")[:CHECK_PREFIX_BYTES], 206),
                   httpx.Response(304))
    with feed.client() as client:
        client.check_for_new_snapshot(Validators("https://elsewhere.test/data.json", etag='"x"'))
        assert client.check_for_new_snapshot(Validators(DATA_URL, etag='"x"')).unchanged
    assert "If-None-Match" not in feed.requests[0].headers
    assert feed.requests[1].headers["If-None-Match"] == '"x"'


def test_a_304_to_a_plain_request_is_not_taken_for_unchanged():
    with Answers(httpx.Response(304)).client() as client, pytest.raises(FeedUnavailable, match="304"):
        client.check_for_new_snapshot()


def test_a_429_is_rate_limited_with_its_retry_after():
    with Answers(httpx.Response(429, headers={"Retry-After": "30"})).client() as client, \
            pytest.raises(FeedRateLimited) as raised:
        client.check_for_new_snapshot()
    assert raised.value.retry_after_s == 30


def test_a_run_told_the_data_url_fetches_it_without_asking_status_json(sim):
    with FeedClient(sim.status_url) as client:
        fetched = client.fetch(data_url=sim.data_url)
    assert fetched.url == sim.data_url
    assert "/status.json" not in sim.traffic()
