"""Pilot connections: one connection's details and its track for a day, a callsign's and a member's
connections. A connection is keyed as in `flights`: (cid, callsign, logon_time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from vatstats_assets.api import parameters
from vatstats_assets.api.caching import LIVE, for_days, json_response
from vatstats_assets.api.database import Connection, fetch_one, fetch_page
from vatstats_assets.api.errors import NotFound
from vatstats_assets.api.listing import Cursor, Limit, after, page_response
from vatstats_assets.api.pagination import DEFAULT_LIMIT, INT_MAX, KeysetOrder
from vatstats_assets.api.schemas import ERRORS, NOT_FOUND, ONE, PAGE

router = APIRouter(tags=["flights"], responses=ERRORS)

Cid = Annotated[int, Path(ge=1, le=INT_MAX, description="The member's VATSIM id (CID).")]
Callsign = Annotated[str, Path(description="The callsign, e.g. QFA1 (case does not matter).")]
LogonTime = Annotated[str, Path(
    description="When the connection logged on, as the feed gives it, e.g. 2026-11-20T06:00:00Z.")]

TRACK = KeysetOrder("track", (("observed_at", "timestamp"),))
CALLSIGN_FLIGHTS = KeysetOrder("callsign_flights", (("logon_time", "timestamp"), ("cid", "int")))
MEMBER_FLIGHTS = KeysetOrder("member_flights", (("logon_time", "timestamp"), ("callsign", "text")))


def _connection_key(cid: int, callsign: str, logon_time: str) -> dict[str, object]:
    return {"cid": cid, "callsign": parameters.callsign(callsign),
            "logon_time": parameters.utc_time("logon_time", logon_time)}


def _no_connection(key: dict[str, object]) -> NotFound:
    return NotFound(f"the warehouse has no pilot connection {key['callsign']} of member {key['cid']} "
                    "logged on at that time")


@router.get("/v1/flights/{cid}/{callsign}/{logon_time}", summary="One pilot connection", responses=ONE | NOT_FOUND)
def flight(request: Request, conn: Connection, cid: Cid, callsign: Callsign, logon_time: LogonTime) -> Response:
    """The connection's latest state (position, flight plan), when it was first and last seen, when
    it last moved and its highest altitude. 404 when the warehouse has no such connection."""
    key = _connection_key(cid, callsign, logon_time)
    row = fetch_one(conn, "api_flight_connection", key)
    if row is None:
        raise _no_connection(key)
    return json_response(request, row, for_days(row["last_seen"].date(), datetime.now(UTC).date()))


@router.get("/v1/flights/{cid}/{callsign}/{logon_time}/track", summary="A pilot connection's track for a day", responses=PAGE | NOT_FOUND)
def track(
    request: Request, conn: Connection, cid: Cid, callsign: Callsign, logon_time: LogonTime,
    date: Annotated[str, Query(description="The UTC day, e.g. 2026-11-20.")],
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
) -> Response:
    """The connection's positions on one UTC day, in time order: its first position and every one
    that moved (a parked aircraft's repeats are not stored). Track history is kept for
    VATSTATS_TRACK_RETENTION_DAYS. 404 when the warehouse has no such connection."""
    key = _connection_key(cid, callsign, logon_time)
    day = parameters.day("date", date)
    start = after(TRACK, cursor)
    if fetch_one(conn, "api_flight_connection", key) is None:
        raise _no_connection(key)
    day_start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    page = fetch_page(conn, "api_flight_track", TRACK, start, limit,
                      {**key, "day_start": day_start, "day_end": day_start + timedelta(days=1)})
    return page_response(request, page, for_days(day, datetime.now(UTC).date()),
                         cid=cid, callsign=key["callsign"], logon_time=key["logon_time"], date=day)


@router.get("/v1/callsigns/{callsign}/flights", summary="A callsign's pilot connections", responses=PAGE)
def callsign_flights(
    request: Request, conn: Connection, callsign: Callsign, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Response:
    """Every stored pilot connection that used this callsign, oldest logon first, with its aircraft,
    filed route ends, first and last seen and highest altitude. An unknown callsign has no items."""
    value = parameters.callsign(callsign)
    page = fetch_page(conn, "api_callsign_flights", CALLSIGN_FLIGHTS, after(CALLSIGN_FLIGHTS, cursor), limit,
                      {"callsign": value})
    return page_response(request, page, LIVE, callsign=value)


@router.get("/v1/members/{cid}/flights", summary="A member's pilot connections", responses=PAGE)
def member_flights(request: Request, conn: Connection, cid: Cid, limit: Limit = DEFAULT_LIMIT,
                   cursor: Cursor = None) -> Response:
    """Every stored pilot connection of one member (CID), oldest logon first. A member never seen
    has no items."""
    page = fetch_page(conn, "api_member_flights", MEMBER_FLIGHTS, after(MEMBER_FLIGHTS, cursor), limit, {"cid": cid})
    return page_response(request, page, LIVE, cid=cid)
