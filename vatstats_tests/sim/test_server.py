"""The simulated feed over a real local socket, and every fault mode doing what it says."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import orjson
import pytest

from vatstats_assets.sim import FAULT_MODES, SimulatorError, SimulatorServer
from vatstats_assets.sim.faults import OLDER_BY_SNAPSHOTS, OVERSIZED_BYTES

# 3,000 simulated seconds per real second: a new snapshot every 5 ms, so "previous" and
# "older" have history to serve within a fraction of a second.
FAST = 3000.0


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(port=0, speed=FAST, pilots=50, seed=1, slow_delay_s=0.3, timeout_delay_s=30.0) as server:
        yield server


def _get(url: str, *, timeout: float = 5.0, gzip_ok: bool = True) -> httpx.Response:
    headers = {} if gzip_ok else {"Accept-Encoding": "identity"}
    return httpx.get(url, timeout=timeout, headers=headers)


def _update_index(sim: SimulatorServer, body: bytes) -> int:
    """Which snapshot (tick index) a served body is."""
    stamp = orjson.loads(body)["general"]["update_timestamp"]
    for candidate in range(sim.current_tick().index, -1, -1):
        if sim.simulation.tick(candidate).update_timestamp == stamp:
            return candidate
    raise AssertionError(f"{stamp} is not the update_timestamp of any snapshot served so far")


def test_status_json_lists_the_data_url(sim: SimulatorServer) -> None:
    status = _get(sim.status_url).json()
    assert status["data"]["v3"] == [sim.data_url]
    assert sim.data_url == f"http://127.0.0.1:{sim.port}/v3/vatsim-data.json"


def test_status_json_lists_the_transceivers_url(sim: SimulatorServer) -> None:
    status = _get(sim.status_url).json()
    assert status["data"]["transceivers"] == [sim.transceivers_url]
    assert sim.transceivers_url == f"http://127.0.0.1:{sim.port}/v3/transceivers-data.json"


def test_data_url_serves_gzip_to_clients_that_accept_it(sim: SimulatorServer) -> None:
    response = _get(sim.data_url)
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(response.content)
    snapshot = response.json()
    assert snapshot["general"]["version"] == 3 and snapshot["pilots"]


def test_data_url_serves_plain_json_to_clients_that_do_not(sim: SimulatorServer) -> None:
    response = _get(sim.data_url, gzip_ok=False)
    assert "content-encoding" not in response.headers
    assert orjson.loads(response.content)["general"]["version"] == 3


def test_snapshots_advance_with_simulated_time(sim: SimulatorServer) -> None:
    first = _update_index(sim, _get(sim.data_url).content)
    later = first
    for _ in range(200):
        later = _update_index(sim, _get(sim.data_url).content)
        if later > first:
            break
    assert later > first


def test_current_update_timestamp_is_what_the_data_url_serves(sim: SimulatorServer) -> None:
    before = sim.current_update_timestamp()
    body = _get(sim.data_url).content
    after = sim.current_update_timestamp()
    assert before <= sim.simulation.tick(_update_index(sim, body)).moment <= after


def test_http500_fault_answers_500(sim: SimulatorServer) -> None:
    assert _get(sim.data_url + "?fault=http500").status_code == 500


def test_http429_fault_answers_429_with_retry_after_7(sim: SimulatorServer) -> None:
    response = _get(sim.data_url + "?fault=http429")
    assert response.status_code == 429 and response.headers["retry-after"] == "7"


def test_slow_fault_answers_late_but_answers(sim: SimulatorServer) -> None:
    with pytest.raises(httpx.ReadTimeout):
        _get(sim.data_url + "?fault=slow", timeout=0.1)
    assert _get(sim.data_url + "?fault=slow", timeout=10).status_code == 200


def test_timeout_fault_never_answers_within_a_client_timeout(sim: SimulatorServer) -> None:
    with pytest.raises(httpx.ReadTimeout):
        _get(sim.data_url + "?fault=timeout", timeout=0.3)


def test_truncated_fault_cuts_the_json_in_half(sim: SimulatorServer) -> None:
    body = _get(sim.data_url + "?fault=truncated").content
    whole = _get(sim.data_url).content
    assert body.startswith(b'{"general":') and 0.3 * len(whole) < len(body) < 0.7 * len(whole)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(body)


def test_invalid_json_fault_serves_an_html_page_as_json(sim: SimulatorServer) -> None:
    response = _get(sim.data_url + "?fault=invalid_json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(response.content)


def test_empty_fault_serves_an_empty_body(sim: SimulatorServer) -> None:
    response = _get(sim.data_url + "?fault=empty")
    assert response.status_code == 200 and response.content == b""


def test_oversized_fault_serves_40_mib_of_valid_json(sim: SimulatorServer) -> None:
    raw = httpx.get(sim.data_url + "?fault=oversized", timeout=10)
    assert len(raw.content) == OVERSIZED_BYTES
    assert orjson.loads(raw.content)["general"]["version"] == 3


def test_previous_fault_serves_the_snapshot_before_the_current_one(sim: SimulatorServer) -> None:
    before = sim.current_tick().index
    served = _update_index(sim, _get(sim.data_url + "?fault=previous").content)
    after = sim.current_tick().index
    assert before - 1 <= served <= after - 1


def test_older_fault_serves_a_snapshot_from_five_minutes_before(sim: SimulatorServer) -> None:
    before = sim.current_tick().index
    assert before >= OLDER_BY_SNAPSHOTS
    served = _update_index(sim, _get(sim.data_url + "?fault=older").content)
    after = sim.current_tick().index
    assert before - OLDER_BY_SNAPSHOTS <= served <= after - OLDER_BY_SNAPSHOTS


def test_extra_fields_fault_adds_unknown_keys_at_every_level(sim: SimulatorServer) -> None:
    snapshot = _get(sim.data_url + "?fault=extra_fields").json()
    with_plan = next(p for p in snapshot["pilots"] if p["flight_plan"])
    for record in (snapshot, snapshot["general"], with_plan, with_plan["flight_plan"], snapshot["controllers"][0],
                   snapshot["servers"][0], snapshot["facilities"][0]):
        assert any(key.startswith("sim_unknown") for key in record)


def test_missing_optional_fault_drops_the_newer_fields(sim: SimulatorServer) -> None:
    snapshot = _get(sim.data_url + "?fault=missing_optional").json()
    assert all("military_rating" not in p for p in snapshot["pilots"])
    assert all("assigned_transponder" not in p["flight_plan"] for p in snapshot["pilots"] if p["flight_plan"])
    assert all("is_sweatbox" not in s and "client_connections_allowed" not in s for s in snapshot["servers"])
    assert all(c["text_atis"] is None for c in snapshot["controllers"] + snapshot["atis"])


def test_transceivers_down_fails_the_transceivers_url_only(sim: SimulatorServer) -> None:
    assert _get(sim.transceivers_url + "?fault=transceivers_down").status_code == 503
    assert _get(sim.data_url + "?fault=transceivers_down").status_code == 200
    sim.set_fault("transceivers_down")
    try:
        assert _get(sim.transceivers_url).status_code == 503
        assert _get(sim.data_url).json()["pilots"]
    finally:
        sim.set_fault(None)


def test_transceivers_slow_delays_the_transceivers_url_then_serves_it(sim: SimulatorServer) -> None:
    slow = _get(sim.transceivers_url + "?fault=transceivers_slow")
    assert slow.status_code == 200 and slow.elapsed.total_seconds() >= 0.3  # the fixture's slow delay
    assert _get(sim.data_url + "?fault=transceivers_slow").status_code == 200


def test_transceivers_timeout_outlasts_a_client_timeout(sim: SimulatorServer) -> None:
    with pytest.raises(httpx.TimeoutException):
        _get(sim.transceivers_url + "?fault=transceivers_timeout", timeout=0.5)


def test_data_faults_leave_the_transceivers_url_working(sim: SimulatorServer) -> None:
    sim.set_fault("http500")
    try:
        assert _get(sim.data_url).status_code == 500
        assert isinstance(_get(sim.transceivers_url).json(), list)
    finally:
        sim.set_fault(None)


def test_every_fault_mode_has_a_test_here() -> None:
    tests = [name for name in globals() if name.startswith("test_")]
    assert [mode for mode in FAULT_MODES if not any(mode in name for name in tests)] == []


def test_set_fault_applies_to_every_data_request_until_cleared(sim: SimulatorServer) -> None:
    sim.set_fault("http500")
    try:
        assert [_get(sim.data_url).status_code for _ in range(2)] == [500, 500]
        assert _get(sim.status_url).status_code == 200  # discovery keeps working
    finally:
        sim.set_fault(None)
    assert _get(sim.data_url).status_code == 200


def test_unknown_fault_mode_is_a_bad_request(sim: SimulatorServer) -> None:
    response = _get(sim.data_url + "?fault=meltdown")
    assert response.status_code == 400 and "meltdown" in response.json()["error"]
    with pytest.raises(ValueError, match="unknown fault mode"):
        sim.set_fault("meltdown")


def test_a_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SimulatorError, match=f"cannot listen on 127.0.0.1:{port}"):
            SimulatorServer(port=port, pilots=5).start()


def test_ground_truth_is_written_while_serving_and_closed_on_stop(tmp_path) -> None:
    path = tmp_path / "truth.jsonl"
    with SimulatorServer(port=0, speed=FAST, pilots=30, seed=2, truth_path=path) as server:
        for _ in range(100):
            if path.stat().st_size:
                break
            _get(server.data_url)
    events = {orjson.loads(line)["event"] for line in path.read_bytes().splitlines()}
    assert "controller_session" in events and events & {"departure", "arrival"}


# --- validators, ranges and traffic counters, as a CDN in front of the feed ---------------------


@pytest.fixture
def still() -> Iterator[SimulatorServer]:
    """A simulator whose snapshot does not change during a test (a millionth of real time)."""
    with SimulatorServer(port=0, speed=1e-6, pilots=50, seed=1, start=datetime(2026, 1, 1, tzinfo=UTC)) as server:
        yield server


def test_the_data_url_names_its_snapshot_with_an_etag_and_last_modified(still: SimulatorServer) -> None:
    plain, gzipped = _get(still.data_url, gzip_ok=False), _get(still.data_url)
    assert plain.headers["etag"].startswith('"') and plain.headers["etag"] != gzipped.headers["etag"]
    assert plain.headers["last-modified"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert plain.headers["accept-ranges"] == "bytes"


def test_a_matching_if_none_match_or_if_modified_since_answers_304_without_a_body(still: SimulatorServer) -> None:
    first = _get(still.data_url, gzip_ok=False)
    by_etag = httpx.get(still.data_url, headers={"If-None-Match": first.headers["etag"], "Accept-Encoding": "identity"})
    by_date = httpx.get(still.data_url, headers={"If-Modified-Since": first.headers["last-modified"]})
    older = httpx.get(still.data_url, headers={"If-Modified-Since": "Wed, 31 Dec 2025 23:59:59 GMT"})
    other_etag = httpx.get(still.data_url, headers={"If-None-Match": '"other"',
                                                    "If-Modified-Since": first.headers["last-modified"]})
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_etag.headers["etag"] == first.headers["etag"]
    assert by_date.status_code == 304
    assert older.status_code == 200
    assert other_etag.status_code == 200  # If-None-Match decides when both are sent


def test_a_single_byte_range_answers_206_with_those_bytes(still: SimulatorServer) -> None:
    whole = _get(still.data_url, gzip_ok=False).content
    start = httpx.get(still.data_url, headers={"Range": "bytes=0-99", "Accept-Encoding": "identity"})
    end = httpx.get(still.data_url, headers={"Range": "bytes=-10", "Accept-Encoding": "identity"})
    assert (start.status_code, start.content) == (206, whole[:100])
    assert start.headers["content-range"] == f"bytes 0-99/{len(whole)}"
    assert (end.status_code, end.content) == (206, whole[-10:])


def test_a_range_past_the_end_is_416_and_several_ranges_are_served_whole(still: SimulatorServer) -> None:
    past = httpx.get(still.data_url, headers={"Range": "bytes=99999999-", "Accept-Encoding": "identity"})
    several = httpx.get(still.data_url, headers={"Range": "bytes=0-1,5-6", "Accept-Encoding": "identity"})
    assert past.status_code == 416
    assert several.status_code == 200 and several.content == _get(still.data_url, gzip_ok=False).content


def test_the_transceivers_url_serves_the_tick_of_the_data_url(still: SimulatorServer) -> None:
    snapshot = _get(still.data_url).json()
    transceivers = _get(still.transceivers_url).json()
    connected = [c["callsign"] for c in snapshot["pilots"] + snapshot["controllers"] + snapshot["atis"]]
    assert sorted(entry["callsign"] for entry in transceivers) == sorted(connected)
    positions = {p["callsign"]: (p["latitude"], p["longitude"]) for p in snapshot["pilots"]}
    for entry in transceivers:
        if entry["callsign"] in positions:
            latitude, longitude = positions[entry["callsign"]]
            assert all(abs(t["latDeg"] - latitude) < 1e-4 and abs(t["lonDeg"] - longitude) < 1e-4
                       for t in entry["transceivers"])


def test_stats_counts_requests_and_body_bytes_by_path_and_status(still: SimulatorServer) -> None:
    gzipped = _get(still.data_url).content
    compressed_size = len(still.gzipped_current())
    httpx.get(still.data_url, headers={"Range": "bytes=0-99", "Accept-Encoding": "identity"})
    _get(still.status_url)
    stats = httpx.get(still.base_url + "/stats").json()
    assert stats == still.traffic()
    assert stats["/v3/vatsim-data.json"] == {
        "200": {"requests": 1, "bytes": compressed_size},
        "206": {"requests": 1, "bytes": 100},
    }
    assert stats["/status.json"]["200"]["requests"] == 1 and "/stats" not in stats
    assert gzipped  # decoded by httpx; the count is of what went over the wire
