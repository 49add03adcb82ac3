"""JSON responses with a strong ETag, conditional GETs (304) and a Cache-Control in step with the feed.

The feed publishes a snapshot every 15 s, so anything about "now" may be cached for 15 s. A UTC day
before yesterday is finished: `finalise_yesterday` has recomputed it and only a deliberate backfill
changes it again, so it may be cached for an hour. The ETag is a hash of the body, so a client that
asks again with If-None-Match gets a 304 and no body whenever nothing changed, however old its copy.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

LIVE_MAX_AGE_S = 15  # one feed snapshot
FINISHED_DAY_MAX_AGE_S = 3600  # a finished day changes only when someone backfills it again


def cache_control(max_age_s: int) -> str:
    return f"public, max-age={max_age_s}"


LIVE = cache_control(LIVE_MAX_AGE_S)
FINISHED = cache_control(FINISHED_DAY_MAX_AGE_S)


def for_days(last_day: date, today: date) -> str:
    """Cache-Control for an answer about days up to `last_day`: long once the day is finished and
    finalised (before yesterday), the feed's 15 s while today's or yesterday's figures may still change."""
    return FINISHED if last_day < today - timedelta(days=1) else LIVE


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (or is `*`); weak forms compare by their tag."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):  # sums come back as numeric; every one here is a whole count
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def render_json(payload: Any) -> bytes:
    """JSON bytes; timestamps as RFC 3339 in UTC with a Z (the warehouse stores them in UTC)."""
    return orjson.dumps(payload, default=_default, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC)


def json_response(
    request: Request, payload: Any, cache: str, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """The payload as JSON with ETag and Cache-Control, or 304 when the client's copy is current."""
    body = render_json(payload)
    etag = strong_etag(body)
    all_headers = {"ETag": etag, "Cache-Control": cache, **(headers or {})}
    if status_code == 200 and etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=all_headers)
    return Response(body, status_code=status_code, media_type="application/json", headers=all_headers)
