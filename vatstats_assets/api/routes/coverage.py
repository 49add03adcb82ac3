"""ATC coverage: the contacts between pilots and controllers (atc_contacts) and coverage per hour and
area (coverage_hourly), over a range of days: `start` and an optional `end` (inclusive; default
`start`), at most 366 days."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from vatstats_assets.api import parameters
from vatstats_assets.api.caching import for_days
from vatstats_assets.api.database import Connection, fetch_page
from vatstats_assets.api.listing import Cursor, Limit, after, page_response
from vatstats_assets.api.pagination import DEFAULT_LIMIT, KeysetOrder
from vatstats_assets.api.schemas import ERRORS, PAGE

router = APIRouter(tags=["ATC coverage"], responses=ERRORS)

CONTACTS = KeysetOrder("atc_contacts", (
    ("started_at", "timestamp"), ("pilot_cid", "int"), ("pilot_callsign", "text"), ("pilot_logon_time", "timestamp"),
    ("atc_cid", "int"), ("atc_callsign", "text"), ("atc_logon_time", "timestamp"), ("channel_hz", "int"),
))
HOURLY = KeysetOrder("coverage_hourly", (("date", "date"), ("hour", "int"), ("area_kind", "text"), ("area", "text")))
Start = Annotated[str, Query(description="The first UTC day, e.g. 2026-11-20.")]
End = Annotated[str | None, Query(description="The last UTC day, inclusive (default: start).")]


@router.get("/v1/coverage/contacts", summary="ATC contacts per day", responses=PAGE)
def atc_contacts(
    request: Request, conn: Connection,
    start: Start, end: End = None,
    controller: Annotated[str | None, Query(description="Only this controller callsign, e.g. ML_CTR.")] = None,
    pilot_cid: Annotated[int | None, Query(ge=1, description="Only this pilot's VATSIM id.")] = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
) -> Response:
    """`atc_contacts`: each interval a pilot connection and a controller connection were on the same
    channel with the aircraft in the station's range (the README's ATC coverage section), starting on
    those UTC days, in start order; `seconds` is the contact's length. A contact over midnight is two
    rows, one on each day."""
    days = parameters.day_range(start, end)
    callsign = parameters.callsign(controller, "controller", where="query") if controller is not None else None
    page = fetch_page(conn, "api_atc_contacts", CONTACTS, after(CONTACTS, cursor), limit, {
        "range_start": days.start_time, "range_end": days.end_time, "controller": callsign, "pilot_cid": pilot_cid})
    return page_response(request, page, for_days(days.end, datetime.now(UTC).date()), start=days.start, end=days.end)


@router.get("/v1/coverage/hourly", summary="ATC coverage per hour and area", responses=PAGE)
def coverage_hourly(
    request: Request, conn: Connection, start: Start, end: End = None,
    area: Annotated[str | None, Query(description="Only this area: an airport's ICAO code, or all (enroute).")] = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
) -> Response:
    """`coverage_hourly`: per UTC day, hour and area (each airport with movements, and all enroute
    traffic), aircraft, aircraft-minutes, covered and uncovered aircraft-minutes, the covered share,
    staffed minutes and the peak, ordered by (date, hour, area_kind, area)."""
    days = parameters.day_range(start, end)
    chosen = None if area is None else "all" if area.strip().lower() == "all" else parameters.airport(
        area, "area", or_else=", or all for enroute traffic")
    page = fetch_page(conn, "api_coverage_hourly", HOURLY, after(HOURLY, cursor), limit,
                      {"start": days.start, "end": days.end, "area": chosen})
    return page_response(request, page, for_days(days.end, datetime.now(UTC).date()), start=days.start, end=days.end)
