"""/metrics: requests by route template, latency, and the database pool, in Prometheus' text format."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from vatstats_assets.api.app import create_app
from vatstats_assets.settings import Settings


def samples(api: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = api.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text) for sample in family.samples
    }


def test_a_request_is_counted_under_its_route_template_and_status(api: TestClient) -> None:
    api.get("/v1/members/1234567/flights")
    api.get("/v1/members/7654321/flights")
    api.get("/v1/members/-1/flights")

    found = samples(api)

    route = "/v1/members/{cid}/flights"
    assert found[("vatstats_api_requests_total", (("method", "GET"), ("route", route), ("status", "200")))] == 2
    assert found[("vatstats_api_requests_total", (("method", "GET"), ("route", route), ("status", "422")))] == 1
    assert found[("vatstats_api_request_duration_seconds_count", (("route", route),))] == 3


def test_paths_that_match_no_route_share_one_series(api: TestClient) -> None:
    for n in range(3):
        api.get(f"/v1/nothing-{n}")

    found = samples(api)

    assert found[("vatstats_api_requests_total", (("method", "GET"), ("route", "unmatched"), ("status", "404")))] == 3
    assert not any("nothing" in str(labels) for _, labels in found)


def test_the_pool_gauges_are_read_when_scraped(reader_engine: sa.Engine, api_settings: Settings) -> None:
    with TestClient(create_app(reader_engine, api_settings)) as api:
        with reader_engine.connect():  # one connection lent out while Prometheus scrapes
            found = samples(api)
    assert found[("vatstats_api_db_pool_checked_out", ())] == 1
    assert found[("vatstats_api_db_pool_size", ())] == reader_engine.pool.size()  # type: ignore[attr-defined]
    assert ("vatstats_api_db_pool_overflow", ()) in found


def test_each_app_counts_in_its_own_registry(reader_engine: sa.Engine, api_settings: Settings) -> None:
    with TestClient(create_app(reader_engine, api_settings)) as first, \
            TestClient(create_app(reader_engine, api_settings)) as second:
        first.get("/healthz")
        counted = samples(second)
    assert ("vatstats_api_requests_total", (("method", "GET"), ("route", "/healthz"), ("status", "200"))) not in counted
