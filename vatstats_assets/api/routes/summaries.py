"""The daily summaries (one row per UTC day and subject, written by the summary assets), over a
range of days: `start` and an optional `end` (inclusive; default `start`), at most 366 days."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from vatstats_assets.api import parameters
from vatstats_assets.api.caching import for_days
from vatstats_assets.api.database import Connection, fetch_page
from vatstats_assets.api.listing import Cursor, Limit, after, page_response
from vatstats_assets.api.pagination import DEFAULT_LIMIT, KeysetOrder
from vatstats_assets.api.schemas import ERRORS, PAGE

router = APIRouter(tags=["daily summaries"], responses=ERRORS)

Start = Annotated[str, Query(description="The first UTC day, e.g. 2026-11-20.")]
End = Annotated[str | None, Query(description="The last UTC day, inclusive (default: start).")]
Airport = Annotated[str | None, Query(description="Only this airport (ICAO code, e.g. YSSY).")]

MOVEMENT_SUMMARIES = KeysetOrder("movement_summaries", (
    ("date", "date"), ("airport", "text"), ("hour", "int"), ("movement_type", "text"), ("aircraft_type", "text"),
))
AIRPORT_HOURLY = KeysetOrder("airport_hourly", (("date", "date"), ("airport", "text"), ("hour", "int")))
FLIGHT_SUMMARIES = KeysetOrder("flight_summaries", (
    ("landing_at", "timestamp"), ("cid", "int"), ("callsign", "text"), ("logon_time", "timestamp"),
))
CONTROLLER_SUMMARIES = KeysetOrder("controller_summaries", (("date", "date"), ("callsign", "text"), ("cid", "int")))
NETWORK_DAILY = KeysetOrder("network_daily", (("date", "date"),))
SECTOR_HOURLY = KeysetOrder("sector_hourly", (("date", "date"), ("sector", "text"), ("hour", "int")))
Sector = Annotated[str | None, Query(description="Only this sector, as the sector files name it (e.g. ARL).")]


def _listing(
    request: Request, conn: Connection, name: str, order: KeysetOrder, start: str, end: str | None,
    limit: int, cursor: str | None, **filters: Any,
) -> Response:
    days = parameters.day_range(start, end)
    page = fetch_page(conn, name, order, after(order, cursor), limit, {
        "start": days.start, "end": days.end, "range_start": days.start_time, "range_end": days.end_time, **filters,
    })
    return page_response(request, page, for_days(days.end, datetime.now(UTC).date()), start=days.start, end=days.end)


def _airport(airport: str | None) -> str | None:
    return parameters.airport(airport) if airport is not None else None


@router.get("/v1/summaries/movements", summary="Movements per airport, day, hour and aircraft type", responses=PAGE)
def movement_summaries(request: Request, conn: Connection, start: Start, end: End = None, airport: Airport = None,
                       limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    """`movement_summaries`: departures or arrivals per airport, UTC day, hour and aircraft type
    ('ZZZZ' = type unknown), ordered by (date, airport, hour, movement_type, aircraft_type)."""
    return _listing(request, conn, "api_movement_summaries", MOVEMENT_SUMMARIES, start, end, limit, cursor,
                    airport=_airport(airport))


@router.get("/v1/summaries/airport-hourly", summary="Departures and arrivals per airport and hour", responses=PAGE)
def airport_hourly(request: Request, conn: Connection, start: Start, end: End = None, airport: Airport = None,
                   limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    """The view `airport_hourly_movements`: departures and arrivals per airport, UTC day and hour
    over every aircraft type (hours without movements have no row), ordered by (date, airport, hour)."""
    return _listing(request, conn, "api_airport_hourly_movements", AIRPORT_HOURLY, start, end, limit, cursor,
                    airport=_airport(airport))


@router.get("/v1/summaries/flights", summary="Completed flights", responses=PAGE)
def flight_summaries(request: Request, conn: Connection, start: Start, end: End = None,
                     limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    """`flight_summaries`: every flight completed (final landing) on those UTC days, with its
    airports, off-block, take-off, landing and on-block times, airborne minutes and distance flown,
    in landing order."""
    return _listing(request, conn, "api_flight_summaries", FLIGHT_SUMMARIES, start, end, limit, cursor)


@router.get("/v1/summaries/controllers", summary="Controller time per day", responses=PAGE)
def controller_summaries(request: Request, conn: Connection, start: Start, end: End = None,
                         limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    """`controller_summaries`: minutes online and sessions per UTC day, position and member
    (sessions merged across reconnects of up to 5 minutes), ordered by (date, callsign, cid)."""
    return _listing(request, conn, "api_controller_summaries", CONTROLLER_SUMMARIES, start, end, limit, cursor)


@router.get("/v1/summaries/network", summary="Network figures per day", responses=PAGE)
def network_daily(request: Request, conn: Connection, start: Start, end: End = None,
                  limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    """`network_daily_stats`: unique and peak pilots and controllers, snapshots stored and missed,
    and the busiest airports, per UTC day."""
    return _listing(request, conn, "api_network_daily_stats", NETWORK_DAILY, start, end, limit, cursor)


@router.get("/v1/summaries/sectors", summary="Sector load and staffing per hour", responses=PAGE)
def sector_hourly(request: Request, conn: Connection, start: Start, end: End = None, sector: Sector = None,
                  limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    """`sector_hourly_load` (with VATSTATS_AIRSPACE_DIR; empty without it): per sector and UTC hour,
    aircraft, aircraft-minutes, the peak and when, staffed minutes and unstaffed aircraft-minutes,
    ordered by (date, sector, hour)."""
    return _listing(request, conn, "api_sector_hourly_load", SECTOR_HOURLY, start, end, limit, cursor,
                    sector=parameters.sector(sector) if sector is not None else None)
