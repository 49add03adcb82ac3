"""Pages walk a listing completely and stay stable while rows arrive; ETags, Cache-Control and gzip."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient

from vatstats_assets.storage.tables import CONTROLLER_SUMMARIES, TRAFFIC_MOVEMENTS
from vatstats_tests.api.rows import controller_summary
from vatstats_tests.support.warehouse_rows import add, add_flights, add_snapshots, flight, movement, snapshot, utc

DAY = date(2026, 1, 10)


def walk(api: TestClient, path: str, params: dict, between_pages=None) -> tuple[list[dict], int]:
    """Every item of a listing, following next_cursor; and how many pages it took."""
    items, pages, cursor = [], 0, None
    while True:
        response = api.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            assert "link" not in response.headers
            return items, pages
        link = re.fullmatch(r'<([^>]+)>; rel="next"', response.headers["link"])
        assert link and f"cursor={cursor}" in link.group(1)
        if between_pages:
            between_pages(pages)


def test_pages_walk_a_listing_completely_without_duplicates_or_gaps(api: TestClient, engine: sa.Engine) -> None:
    add(engine, CONTROLLER_SUMMARIES, [controller_summary(DAY, f"POS{n:02d}_CTR", 1000 + n % 3) for n in range(25)])

    items, pages = walk(api, "/v1/summaries/controllers", {"start": "2026-01-10", "limit": 7})

    keys = [(i["callsign"], i["cid"]) for i in items]
    assert pages == 4
    assert keys == sorted(keys) and len(set(keys)) == 25


def test_rows_arriving_between_pages_neither_repeat_nor_shift_a_page(api: TestClient, engine: sa.Engine) -> None:
    base = utc("2026-01-10 06:00")
    add(engine, TRAFFIC_MOVEMENTS, [movement("YSSY", "departure", base + timedelta(minutes=2 * n), 100 + n)
                                    for n in range(20)])
    arrived: list[int] = []

    def more_traffic(page: int) -> None:
        # One movement before everything read so far and one after it, while the client pages.
        early, late = 500 + page, 600 + page
        add(engine, TRAFFIC_MOVEMENTS, [movement("YSSY", "arrival", base - timedelta(minutes=page), early),
                                        movement("YSSY", "arrival", base + timedelta(hours=2, minutes=page), late)])
        arrived.append(late)

    items, _ = walk(api, "/v1/airports/YSSY/movements", {"date": "2026-01-10", "limit": 6}, more_traffic)

    cids = [i["cid"] for i in items]
    assert len(cids) == len(set(cids))  # nothing twice
    assert [c for c in cids if c < 500] == list(range(100, 120))  # nothing the walk started with is lost
    assert set(arrived) <= set(cids)  # what arrived ahead of the cursor is read when the walk reaches it
    assert not any(500 <= c < 600 for c in cids)  # what arrived behind it does not shift any page


def test_the_limit_defaults_to_100(api: TestClient, engine: sa.Engine) -> None:
    add(engine, CONTROLLER_SUMMARIES, [controller_summary(DAY, f"P{n:03d}_CTR", 1) for n in range(101)])

    body = api.get("/v1/summaries/controllers", params={"start": "2026-01-10"}).json()

    assert len(body["items"]) == 100 and body["next_cursor"]


def test_an_unchanged_answer_is_a_304_when_its_etag_is_sent_back(api: TestClient, engine: sa.Engine) -> None:
    add(engine, CONTROLLER_SUMMARIES, [controller_summary(DAY, "ML_CTR", 1)])
    first = api.get("/v1/summaries/controllers", params={"start": "2026-01-10"})
    etag = first.headers["etag"]

    again = api.get("/v1/summaries/controllers", params={"start": "2026-01-10"}, headers={"If-None-Match": etag})
    other = api.get("/v1/summaries/controllers", params={"start": "2026-01-10"}, headers={"If-None-Match": '"x", ' + etag})
    stale = api.get("/v1/summaries/controllers", params={"start": "2026-01-10"}, headers={"If-None-Match": '"stale"'})

    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)  # strong: no W/
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    assert again.headers["cache-control"] == first.headers["cache-control"]
    assert other.status_code == 304
    assert stale.status_code == 200 and stale.json() == first.json()


def test_the_etag_changes_when_the_data_does(api: TestClient, engine: sa.Engine) -> None:
    add(engine, CONTROLLER_SUMMARIES, [controller_summary(DAY, "ML_CTR", 1)])
    before = api.get("/v1/summaries/controllers", params={"start": "2026-01-10"}).headers["etag"]
    add(engine, CONTROLLER_SUMMARIES, [controller_summary(DAY, "BN_CTR", 2)])

    after = api.get("/v1/summaries/controllers", params={"start": "2026-01-10"}, headers={"If-None-Match": before})

    assert after.status_code == 200 and after.headers["etag"] != before


def test_finished_days_are_cached_for_an_hour_and_recent_ones_for_a_feed_tick(api: TestClient) -> None:
    today = datetime.now(UTC).date()

    def cache(start: date, end: date) -> str:
        return api.get("/v1/summaries/network", params={"start": start.isoformat(), "end": end.isoformat()}
                       ).headers["cache-control"]

    assert cache(today - timedelta(days=10), today - timedelta(days=2)) == "public, max-age=3600"
    assert cache(today - timedelta(days=10), today - timedelta(days=1)) == "public, max-age=15"
    assert cache(today, today) == "public, max-age=15"
    assert api.get("/v1/network/status").headers["cache-control"] == "public, max-age=15"
    assert api.get("/v1/network/flights").headers["cache-control"] == "public, max-age=15"


def test_large_answers_are_gzipped_when_the_client_asks(api: TestClient, engine: sa.Engine) -> None:
    latest = datetime.now(UTC).replace(microsecond=0)
    add_snapshots(engine, [snapshot(latest)])
    add_flights(engine, [flight(n, latest - timedelta(hours=1), latest, f"QFA{n}") for n in range(1, 60)])

    zipped = api.get("/v1/network/flights", headers={"Accept-Encoding": "gzip"})
    plain = api.get("/v1/network/flights", headers={"Accept-Encoding": "identity"})

    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    assert zipped.json() == plain.json()  # the same JSON once the client decompressed it
