"""The feed client against a faked network (httpx.MockTransport) and a real local server."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import count

import httpx
import orjson
import pytest

from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.feed_client import (
    DEFAULT_RETRY_AFTER_S,
    DEFAULT_STATUS_URL,
    FALLBACK_DATA_URL,
    FeedClient,
    FeedRateLimited,
    FeedUnavailable,
    parse_retry_after,
)
from vatstats_tests.fixtures import feed_fixture_path, load_fixture_bytes
from vatstats_tests.loopback_server import LoopbackServer

FEED_BODY = orjson.dumps({"general": {"update_timestamp": "2024-02-20T23:19:51Z"}, "pilots": []})
NOW = datetime(2024, 2, 20, 23, 0, 0, tzinfo=UTC)

_unique = count()


def status_url() -> str:
    # Discovered URLs are remembered per status URL for the whole process, so each
    # test that discovers gets a status URL of its own.
    return f"https://status.test/{next(_unique)}/status.json"


def status_body(*data_urls: str) -> bytes:
    return orjson.dumps({"data": {"v3": list(data_urls), "transceivers": []}, "user": []})


class FakeNetwork:
    """Answers by URL and records every request, so tests can say what was asked."""

    def __init__(self, routes: dict[str, Callable[[httpx.Request], httpx.Response]]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes.get(str(request.url))
        if answer is None:
            return httpx.Response(404)
        return answer(request)

    @property
    def urls(self) -> list[str]:
        return [str(request.url) for request in self.requests]

    def client(self, feed_url: str, **options) -> FeedClient:
        options.setdefault("clock", lambda: NOW)
        return FeedClient(feed_url, transport=httpx.MockTransport(self), **options)


def serve(body: bytes = FEED_BODY, status: int = 200, **headers: str):
    """An answer streamed as from a socket; `content=` would hand over a body already read."""
    return lambda request: httpx.Response(
        status,
        headers={"Content-Length": str(len(body)), **headers},
        stream=httpx.ByteStream(body),
    )


# --- finding the data ------------------------------------------------------------------


def test_data_urls_are_discovered_from_status_json_and_the_first_is_fetched():
    status = status_url()
    network = FakeNetwork({
        status: serve(status_body("https://data.test/a.json", "https://data.test/b.json")),
        "https://data.test/a.json": serve(),
    })
    with network.client(status) as client:
        assert client.data_urls() == ["https://data.test/a.json", "https://data.test/b.json"]
        fetched = client.fetch()
    assert (fetched.url, fetched.body) == ("https://data.test/a.json", FEED_BODY)
    assert fetched.fetched_at == NOW
    assert network.urls == [status, "https://data.test/a.json"]  # status.json asked once


def test_the_next_data_url_is_tried_when_the_first_fails():
    status = status_url()
    network = FakeNetwork({
        status: serve(status_body("https://data.test/a.json", "https://data.test/b.json")),
        "https://data.test/a.json": serve(status=503),
        "https://data.test/b.json": serve(),
    })
    with network.client(status) as client:
        assert client.fetch().url == "https://data.test/b.json"


def test_a_data_url_is_fetched_directly_without_asking_for_status():
    network = FakeNetwork({"http://127.0.0.1:8080/v3/vatsim-data.json": serve()})
    with network.client("http://127.0.0.1:8080/v3/vatsim-data.json") as client:
        assert client.fetch().body == FEED_BODY
    assert network.urls == ["http://127.0.0.1:8080/v3/vatsim-data.json"]


def test_a_status_document_behind_another_name_is_recognised_and_followed():
    network = FakeNetwork({
        "http://127.0.0.1:8080/status": serve(status_body("/v3/vatsim-data.json")),
        "http://127.0.0.1:8080/v3/vatsim-data.json": serve(),
    })
    with network.client("http://127.0.0.1:8080/status") as client:
        assert client.fetch().url == "http://127.0.0.1:8080/v3/vatsim-data.json"


def test_when_vatsim_status_json_fails_the_well_known_data_url_is_used():
    network = FakeNetwork({DEFAULT_STATUS_URL: serve(status=500), FALLBACK_DATA_URL: serve()})
    with network.client(DEFAULT_STATUS_URL) as client:
        fetched = client.fetch()
    assert fetched.url == FALLBACK_DATA_URL
    assert network.urls == [DEFAULT_STATUS_URL, FALLBACK_DATA_URL]


def test_a_custom_status_url_that_fails_never_falls_back_to_the_live_network():
    status = status_url()
    network = FakeNetwork({status: serve(b"<html>maintenance</html>")})
    with network.client(status) as client, pytest.raises(FeedUnavailable) as raised:
        client.fetch()
    assert "could not discover the feed's data URLs" in str(raised.value)
    assert "lists no v3 data URLs" in str(raised.value)
    assert network.urls == [status]


def test_discovered_urls_are_remembered_but_asked_again_after_every_one_failed():
    status = status_url()
    answers = iter([serve(), serve(status=500), serve()])
    network = FakeNetwork({
        status: serve(status_body("https://data.test/a.json")),
        "https://data.test/a.json": lambda request: next(answers)(request),
    })
    with network.client(status) as client:
        client.fetch()
        with pytest.raises(FeedUnavailable):
            client.fetch()
        client.fetch()
    assert network.urls == [
        status, "https://data.test/a.json",
        "https://data.test/a.json",  # remembered: no second status request
        status, "https://data.test/a.json",  # after a failure: discovered afresh
    ]


def test_requests_carry_a_descriptive_user_agent_and_accept_gzip():
    network = FakeNetwork({"https://data.test/a.json": serve()})
    with network.client("https://data.test/a.json") as client:
        client.fetch()
    headers = network.requests[0].headers
    assert headers["User-Agent"].startswith("vatstats/")
    assert "+https://" in headers["User-Agent"]
    assert headers["Accept-Encoding"] == "gzip"


def test_a_custom_user_agent_replaces_the_default():
    network = FakeNetwork({"https://data.test/a.json": serve()})
    with network.client("https://data.test/a.json", user_agent="vatstats-ci/1") as client:
        client.fetch()
    assert network.requests[0].headers["User-Agent"] == "vatstats-ci/1"


# --- refusals and failures ---------------------------------------------------------------


def test_http_429_with_retry_after_seconds_raises_rate_limited_without_trying_other_urls():
    status = status_url()
    network = FakeNetwork({
        status: serve(status_body("https://data.test/a.json", "https://data.test/b.json")),
        "https://data.test/a.json": serve(b"", status=429, **{"Retry-After": "120"}),
        "https://data.test/b.json": serve(),
    })
    with network.client(status) as client, pytest.raises(FeedRateLimited) as raised:
        client.fetch()
    assert raised.value.retry_after_s == 120.0
    assert "HTTP 429" in str(raised.value) and "https://data.test/a.json" in str(raised.value)
    assert "https://data.test/b.json" not in network.urls


def test_http_429_with_an_http_date_waits_until_that_moment():
    network = FakeNetwork({
        "https://data.test/a.json": serve(
            b"", status=429, **{"Retry-After": "Tue, 20 Feb 2024 23:01:30 GMT"}
        ),
    })
    with network.client("https://data.test/a.json") as client:
        with pytest.raises(FeedRateLimited) as raised:
            client.fetch()
    assert raised.value.retry_after_s == 90.0


def test_rate_limited_is_a_kind_of_unavailable():
    assert issubclass(FeedRateLimited, FeedUnavailable)


def test_http_429_on_status_json_is_honoured_not_bypassed_with_the_fallback():
    network = FakeNetwork({DEFAULT_STATUS_URL: serve(b"", status=429, **{"Retry-After": "30"})})
    with network.client(DEFAULT_STATUS_URL) as client, pytest.raises(FeedRateLimited) as raised:
        client.fetch()
    assert raised.value.retry_after_s == 30.0
    assert network.urls == [DEFAULT_STATUS_URL]


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Tue, 20 Feb 2024 23:00:45 GMT", 45.0),
        ("Tue, 20 Feb 2024 22:59:00 GMT", 0.0),  # already past: ask again now
        (None, DEFAULT_RETRY_AFTER_S),
        ("", DEFAULT_RETRY_AFTER_S),
        ("soon", DEFAULT_RETRY_AFTER_S),
        ("-5", DEFAULT_RETRY_AFTER_S),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date(header, seconds):
    assert parse_retry_after(header, NOW) == seconds


def test_http_500_raises_unavailable_naming_the_url_and_status():
    network = FakeNetwork({"https://data.test/a.json": serve(b"oops", status=500)})
    with network.client("https://data.test/a.json") as client:
        with pytest.raises(FeedUnavailable) as raised:
            client.fetch()
    assert str(raised.value) == "https://data.test/a.json answered HTTP 500 Internal Server Error"
    assert raised.value.url == "https://data.test/a.json"


def test_every_failed_data_url_is_named_in_the_error():
    status = status_url()
    network = FakeNetwork({
        status: serve(status_body("https://data.test/a.json", "https://data.test/b.json")),
        "https://data.test/a.json": serve(status=502),
    })
    with network.client(status) as client, pytest.raises(FeedUnavailable) as raised:
        client.fetch()
    message = str(raised.value)
    assert message.startswith("none of the 2 feed data URLs answered")
    assert "a.json answered HTTP 502" in message and "b.json answered HTTP 404" in message


def test_a_timeout_raises_unavailable_saying_it_timed_out():
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    network = FakeNetwork({"https://data.test/a.json": hang})
    with network.client("https://data.test/a.json", timeout_s=2.5) as client, pytest.raises(
        FeedUnavailable, match=r"data.test/a.json did not answer within 2.5 s \(ReadTimeout\)"
    ):
        client.fetch()


def test_a_refused_connection_raises_unavailable_with_the_cause():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    network = FakeNetwork({"https://data.test/a.json": refuse})
    with network.client("https://data.test/a.json") as client, pytest.raises(
        FeedUnavailable, match=r"could not fetch https://data.test/a.json: \[Errno 111\] Connection"
    ):
        client.fetch()


# --- size and encoding --------------------------------------------------------------------


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read():
    network = FakeNetwork({"https://data.test/a.json": serve(b"x" * 2_000)})
    with network.client("https://data.test/a.json", max_body_bytes=1_000) as client, pytest.raises(
        FeedUnavailable, match="over the 1,000-byte limit"
    ):
        client.fetch()


def test_a_streamed_body_growing_over_the_limit_is_refused_while_streaming():
    chunks_sent = []

    def endless(request: httpx.Request) -> httpx.Response:
        def chunks() -> Iterator[bytes]:
            for _ in range(1_000):
                chunks_sent.append(1)
                yield b"x" * 100
        return httpx.Response(200, content=chunks())  # no Content-Length

    network = FakeNetwork({"https://data.test/a.json": endless})
    with network.client("https://data.test/a.json", max_body_bytes=1_000) as client, pytest.raises(
        FeedUnavailable, match="over the 1,000-byte limit"
    ):
        client.fetch()
    assert len(chunks_sent) == 11  # stopped at the first chunk past the limit


def test_a_gzip_body_is_decompressed_and_its_wire_size_reported():
    compressed = gzip.compress(FEED_BODY)
    network = FakeNetwork(
        {"https://data.test/a.json": serve(compressed, **{"Content-Encoding": "gzip"})}
    )
    with network.client("https://data.test/a.json") as client:
        fetched = client.fetch()
    assert (fetched.body, fetched.compressed_bytes) == (FEED_BODY, len(compressed))


def test_an_uncompressed_body_reports_no_compressed_size():
    network = FakeNetwork({"https://data.test/a.json": serve()})
    with network.client("https://data.test/a.json") as client:
        assert client.fetch().compressed_bytes is None


def test_a_gzip_file_served_without_content_encoding_is_still_decompressed():
    network = FakeNetwork({"https://data.test/a.json.gz": serve(gzip.compress(FEED_BODY))})
    with network.client("https://data.test/a.json.gz") as client:
        assert client.fetch().body == FEED_BODY


def test_a_small_gzip_body_that_expands_past_the_limit_is_refused():
    bomb = gzip.compress(b" " * 1_000_000)  # about 1 kB on the wire
    network = FakeNetwork({"https://data.test/a.json": serve(bomb, **{"Content-Encoding": "gzip"})})
    with network.client("https://data.test/a.json", max_body_bytes=100_000) as client:
        with pytest.raises(FeedUnavailable, match="over the 100,000-byte limit"):
            client.fetch()


def test_a_truncated_gzip_body_is_unavailable_not_half_a_snapshot():
    cut = gzip.compress(load_fixture_bytes("2024-02-20"))[:50_000]
    network = FakeNetwork({"https://data.test/a.json": serve(cut, **{"Content-Encoding": "gzip"})})
    with network.client("https://data.test/a.json") as client, pytest.raises(
        FeedUnavailable, match="ends early"
    ):
        client.fetch()


def test_an_encoding_that_was_not_asked_for_is_refused():
    network = FakeNetwork({"https://data.test/a.json": serve(b"...", **{"Content-Encoding": "br"})})
    with network.client("https://data.test/a.json") as client, pytest.raises(
        FeedUnavailable, match="unsupported encoding 'br'"
    ):
        client.fetch()


# --- configuration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["", "   ", "status.json", "ftp://status.vatsim.net/status.json", "http://", "https://h:port/"],
)
def test_a_malformed_feed_url_is_a_value_error_naming_the_setting(url):
    with pytest.raises(ValueError, match=r"^VATSTATS_FEED_URL must be an http:// or https:// URL"):
        FeedClient(url)


def test_the_default_feed_url_is_vatsim_status_json():
    with FeedClient(transport=httpx.MockTransport(lambda request: httpx.Response(500))) as client:
        assert client.feed_url == DEFAULT_STATUS_URL


# --- against a real HTTP server on the loopback interface ----------------------------------


class FixtureFeedServer(LoopbackServer):
    """Serves status.json and the gzipped 2024 fixture; a request to /slow waits for `release`."""

    def __init__(self) -> None:
        self.compressed = feed_fixture_path("2024-02-20").read_bytes()
        self.user_agents: list[str] = []
        super().__init__(self._answer)

    def _answer(self, path: str, user_agent: str) -> tuple[bytes, dict[str, str]] | None:
        self.user_agents.append(user_agent)
        json = {"Content-Type": "application/json"}
        if path == "/status.json":
            return status_body(f"{self.base_url}/v3/vatsim-data.json"), json
        if path == "/v3/vatsim-data.json":
            return self.compressed, {**json, "Content-Encoding": "gzip"}
        if path == "/slow":
            self.release.wait(timeout=10)
            return b"{}", json
        return None


@pytest.fixture
def feed_server() -> Iterator[FixtureFeedServer]:
    with FixtureFeedServer() as server:
        yield server


def test_a_real_local_server_serves_the_gzipped_fixture_which_parses_completely(feed_server):
    with FeedClient(f"{feed_server.base_url}/status.json", discovery_ttl_s=0) as client:
        fetched = client.fetch()
    assert fetched.url == f"{feed_server.base_url}/v3/vatsim-data.json"
    assert fetched.body == load_fixture_bytes("2024-02-20")
    assert fetched.compressed_bytes == len(feed_server.compressed)
    assert fetched.fetched_at.tzinfo is UTC
    assert len(parse_snapshot(fetched.body).pilots) == 702
    assert all(agent.startswith("vatstats/") for agent in feed_server.user_agents)
    assert len(feed_server.user_agents) == 2


def test_a_real_server_that_does_not_answer_in_time_is_unavailable(feed_server):
    with FeedClient(f"{feed_server.base_url}/slow", timeout_s=0.2) as client, pytest.raises(
        FeedUnavailable, match="did not answer within 0.2 s"
    ):
        client.fetch()
