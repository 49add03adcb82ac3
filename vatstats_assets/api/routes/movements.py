"""Departures and arrivals detected at an airport (traffic_movements), by UTC day and hour.

An airport is known to the warehouse when the airport database movements are detected with lists
its ICAO code (`airportsdata`, the same table `traffic_movements` uses), or when a movement has been
stored at it; any other code is answered with 404. A known airport with no traffic that day answers
an empty page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from vatstats_assets.api import parameters
from vatstats_assets.api.caching import for_days
from vatstats_assets.api.database import Connection, fetch_one, fetch_page
from vatstats_assets.api.errors import NotFound
from vatstats_assets.api.listing import Cursor, Limit, after, page_response
from vatstats_assets.api.pagination import DEFAULT_LIMIT, KeysetOrder
from vatstats_assets.api.schemas import ERRORS, NOT_FOUND, PAGE
from vatstats_assets.core.airports import AirportIndex

router = APIRouter(tags=["movements"], responses=ERRORS)

MOVEMENTS = KeysetOrder("airport_movements", (
    ("at", "timestamp"), ("movement_type", "text"), ("cid", "int"), ("callsign", "text"), ("logon_time", "timestamp"),
))


def airport_known(conn: sa.Connection, code: str) -> bool:
    if code in AirportIndex.from_airportsdata():  # cached after the first call
        return True
    row = fetch_one(conn, "api_airport_seen", {"airport": code})
    return bool(row and row["seen"])


@router.get("/v1/airports/{airport}/movements", summary="Movements at an airport on a day", responses=PAGE | NOT_FOUND)
def airport_movements(
    request: Request, conn: Connection,
    airport: Annotated[str, Path(description="The airport's ICAO code, e.g. YSSY.")],
    date: Annotated[str, Query(description="The UTC day, e.g. 2026-11-20.")],
    hour: Annotated[int | None, Query(ge=0, le=23, description="Only this UTC hour, 0-23.")] = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
) -> Response:
    """Each departure and arrival detected at the airport that UTC day (or hour), in time order,
    with the connection, its aircraft type and whether it matched the filed flight plan. 404 for a
    code the warehouse does not know (see the README's Read API section)."""
    code = parameters.airport(airport)
    day = parameters.day("date", date)
    start = after(MOVEMENTS, cursor)
    if not airport_known(conn, code):
        raise NotFound(f"the warehouse knows no airport {code}: it is not in the airport database and no "
                       "movement was ever recorded there")
    window_start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour or 0)
    window_end = window_start + (timedelta(hours=1) if hour is not None else timedelta(days=1))
    page = fetch_page(conn, "api_airport_movements", MOVEMENTS, start, limit,
                      {"airport": code, "window_start": window_start, "window_end": window_end})
    return page_response(request, page, for_days(day, datetime.now(UTC).date()), airport=code, date=day, hour=hour)
