"""Every refusal is one sentence naming what was wrong; hostile input leaks nothing and reaches no SQL.

Each endpoint is tried with SQL fragments, huge page sizes, malformed and forged cursors, bad dates,
10,000-character strings, unicode and negative numbers: each gives a 4xx whose body is exactly
`{"detail": "<one sentence>"}`, with no traceback, no SQL and no database message in it.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from vatstats_assets.api.app import create_app
from vatstats_assets.settings import Settings
from vatstats_tests.support.warehouse_rows import add_flights, flight, utc

FLIGHT = "/v1/flights/1234567/QFA1/2026-01-10T06:00:00Z"
# Each endpoint with parameters that make a good request: the hostile ones replace one at a time.
ENDPOINTS: dict[str, dict[str, str]] = {
    "/v1/network/status": {},
    "/v1/network/flights": {},
    "/v1/network/controllers": {},
    FLIGHT: {},
    FLIGHT + "/track": {"date": "2026-01-10"},
    "/v1/callsigns/QFA1/flights": {},
    "/v1/members/1234567/flights": {},
    "/v1/airports/YSSY/movements": {"date": "2026-01-10"},
    "/v1/summaries/movements": {"start": "2026-01-10"},
    "/v1/summaries/airport-hourly": {"start": "2026-01-10"},
    "/v1/summaries/flights": {"start": "2026-01-10"},
    "/v1/summaries/controllers": {"start": "2026-01-10"},
    "/v1/summaries/network": {"start": "2026-01-10"},
    "/v1/summaries/sectors": {"start": "2026-01-10"},
}
PAGINATED = [path for path in ENDPOINTS if path not in ("/v1/network/status", FLIGHT)]
DATED = {path: name for path, params in ENDPOINTS.items() for name in params if name in ("date", "start")}

SQL = "' OR 1=1 --"
HOSTILE_TEXT = [SQL, "1; DROP TABLE vatstats.flights", "x" * 10_000, "ÄÖÜ✈️机场", "\u202e", "%00", "-1", "$$", "'", '"']
# What a leak looks like: a traceback, a driver or library name, SQL, a database message, a pydantic dump.
LEAKS = re.compile(r"Traceback|File \"|psycopg|sqlalchemy|pydantic|SELECT |FROM vatstats|LIMIT \d|WHERE |"
                   r"syntax error|permission denied|[A-Za-z]+Error\b|\"loc\"|'loc'|\"input\"")


def assert_one_sentence(response, status: int | tuple[int, ...], *fragments: str) -> str:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str)
    detail = body["detail"]
    assert detail.endswith(".") and detail.count(". ") == 0 and "\n" not in detail, detail
    assert len(detail) < 200, detail  # a 10,000-character value is never echoed
    assert not LEAKS.search(response.text), response.text
    for fragment in fragments:
        assert fragment in detail, detail
    return detail


@pytest.fixture
def known_flight(engine: sa.Engine) -> None:
    add_flights(engine, [flight(1234567, utc("2026-01-10 06:00"), utc("2026-01-10 08:00"), "QFA1")])


@pytest.mark.parametrize("path", PAGINATED)
@pytest.mark.parametrize("limit", ["0", "-5", "1001", "99999999999999999999", "1e3", "ten", SQL, "1.5"])
def test_a_page_size_outside_1_to_1000_is_refused(api: TestClient, known_flight: None, path: str, limit: str) -> None:
    response = api.get(path, params={**ENDPOINTS[path], "limit": limit})
    assert_one_sentence(response, 422, "'limit'")


@pytest.mark.parametrize("path", PAGINATED)
@pytest.mark.parametrize("cursor", [
    SQL, "x" * 10_000, "✈️", "-1", "eyJ9",
    base64.urlsafe_b64encode(json.dumps(["report_busiest_days", ["2026-01-10"]]).encode()).decode(),  # not a listing
    base64.urlsafe_b64encode(json.dumps(["current_flights", [SQL, SQL, SQL]]).encode()).decode(),
])
def test_a_malformed_or_forged_cursor_is_refused(api: TestClient, known_flight: None, path: str, cursor: str) -> None:
    response = api.get(path, params={**ENDPOINTS[path], "cursor": cursor})
    assert_one_sentence(response, 422, "cursor")


@pytest.mark.parametrize("path", list(DATED))
@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "yesterday", "20260110", "1999-12-31", "9999-12-31",
                                   "2026-01-10T00:00:00", SQL, "x" * 10_000, "٢٠٢٦-٠١-١٠", "-2026-01-10", ""])
def test_a_bad_date_is_refused_naming_the_parameter(api: TestClient, known_flight: None, path: str, value: str) -> None:
    name = DATED[path]
    response = api.get(path, params={**ENDPOINTS[path], name: value})
    assert_one_sentence(response, 422, f"'{name}'")


@pytest.mark.parametrize("path", [p for p, params in ENDPOINTS.items() if params])
def test_a_missing_required_parameter_is_named(api: TestClient, known_flight: None, path: str) -> None:
    name = next(iter(ENDPOINTS[path]))
    assert_one_sentence(api.get(path), 422, f"'{name}'", "required")


def test_an_end_before_the_start_or_a_range_over_a_year_is_refused(api: TestClient) -> None:
    assert_one_sentence(api.get("/v1/summaries/flights", params={"start": "2026-01-10", "end": "2026-01-09"}),
                        422, "'end'")
    assert_one_sentence(api.get("/v1/summaries/flights", params={"start": "2024-01-10", "end": "2026-01-09"}),
                        422, "366 days")


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_hostile_path_values_are_refused_or_not_found(api: TestClient, known_flight: None, value: str) -> None:
    # Each path parameter in turn; a value that fits the parameter's shape is simply not found.
    for path in (f"/v1/callsigns/{value}/flights", f"/v1/airports/{value}/movements?date=2026-01-10",
                 f"/v1/members/{value}/flights", f"/v1/flights/{value}/QFA1/2026-01-10T06:00:00Z",
                 f"/v1/flights/1234567/{value}/2026-01-10T06:00:00Z",
                 f"/v1/flights/1234567/QFA1/{value}", f"/v1/flights/1234567/QFA1/{value}/track?date=2026-01-10"):
        assert_one_sentence(api.get(path), (404, 422))


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_hostile_airport_filters_are_refused(api: TestClient, value: str) -> None:
    response = api.get("/v1/summaries/movements", params={"start": "2026-01-10", "airport": value})
    assert_one_sentence(response, 422, "'airport'")


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_hostile_sector_filters_are_refused(api: TestClient, value: str) -> None:
    response = api.get("/v1/summaries/sectors", params={"start": "2026-01-10", "sector": value})
    assert_one_sentence(response, 422, "'sector'")


@pytest.mark.parametrize("cid", ["-1", "0", "2147483648", "1e6", SQL, "１２３"])
def test_a_member_id_must_be_a_positive_whole_number(api: TestClient, cid: str) -> None:
    assert_one_sentence(api.get(f"/v1/members/{cid}/flights"), 422, "'cid'")


@pytest.mark.parametrize("hour", ["-1", "24", "7.5", SQL])
def test_an_hour_must_be_0_to_23(api: TestClient, hour: str) -> None:
    response = api.get("/v1/airports/YSSY/movements", params={"date": "2026-01-10", "hour": hour})
    assert_one_sentence(response, 422, "'hour'")


def test_an_unknown_airport_is_a_404_naming_it(api: TestClient) -> None:
    assert_one_sentence(api.get("/v1/airports/QQQQ/movements", params={"date": "2026-01-10"}), 404, "QQQQ")


def test_an_unknown_connection_is_a_404_for_its_details_and_its_track(api: TestClient, known_flight: None) -> None:
    assert_one_sentence(api.get("/v1/flights/1234567/QFA1/2026-01-10T06:00:01Z"), 404, "QFA1")
    assert_one_sentence(api.get("/v1/flights/7654321/QFA1/2026-01-10T06:00:00Z/track",
                                params={"date": "2026-01-10"}), 404, "7654321")


def test_an_unknown_path_and_a_write_are_refused_in_one_sentence(api: TestClient) -> None:
    assert_one_sentence(api.get("/v1/nothing"), 404, "/docs")
    assert_one_sentence(api.get("/v1/flights"), 404)
    assert_one_sentence(api.post("/v1/network/status", json={"sql": "DELETE FROM vatstats.flights"}), 405, "read-only")
    assert_one_sentence(api.delete("/v1/members/1/flights"), 405)


def test_no_endpoint_takes_sql_or_a_body(api: TestClient) -> None:
    schema = api.get("/openapi.json").json()
    for path, methods in schema["paths"].items():
        assert set(methods) == {"get"}, path
        parameters = methods["get"].get("parameters", [])
        assert "requestBody" not in methods["get"]
        assert not {p["name"] for p in parameters} & {"sql", "query", "where", "order", "sort", "filter"}, path


def test_an_unexpected_error_is_a_500_with_a_generic_sentence(reader_engine: sa.Engine, api_settings: Settings) -> None:
    app = create_app(reader_engine, api_settings)

    @app.get("/v1/broken")
    def broken() -> None:
        raise RuntimeError("secret detail: password=hunter2 SELECT * FROM vatstats.flights")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/broken")
    detail = assert_one_sentence(response, 500)
    assert "hunter2" not in response.text and "logged" in detail


def test_a_database_error_is_not_shown_to_the_client(reader_engine: sa.Engine, api_settings: Settings) -> None:
    app = create_app(reader_engine, api_settings)

    @app.get("/v1/bad-sql")
    def bad_sql() -> None:
        with reader_engine.connect() as conn:
            conn.execute(sa.text("SELECT * FROM vatstats.no_such_table WHERE x = :x"), {"x": "' OR 1=1 --"})

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/bad-sql")
    assert_one_sentence(response, 500)
    assert "no_such_table" not in response.text


def test_an_unreachable_warehouse_is_a_503_and_an_unhealthy_healthz(api_settings: Settings) -> None:
    nowhere = sa.create_engine("postgresql+psycopg2://nobody:secret@127.0.0.1:1/x",
                               connect_args={"connect_timeout": 2})
    with TestClient(create_app(nowhere, api_settings), raise_server_exceptions=False) as client:
        status = client.get("/v1/network/status")
        health = client.get("/healthz")
    assert_one_sentence(status, 503, "warehouse")
    assert_one_sentence(health, 503, "warehouse")
    assert "secret" not in status.text and "127.0.0.1" not in status.text
    nowhere.dispose()
