"""The live network: the `vatstats status` figures, and who is online in the latest snapshot."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from vatstats_assets.api.caching import LIVE, json_response
from vatstats_assets.api.database import Connection, fetch_page, utc_value
from vatstats_assets.api.listing import Cursor, Limit, after, page_response
from vatstats_assets.api.pagination import DEFAULT_LIMIT, KeysetOrder
from vatstats_assets.api.schemas import ERRORS, ONE, PAGE
from vatstats_assets.storage.status import network_status

router = APIRouter(tags=["live network"], responses=ERRORS)

CURRENT_FLIGHTS = KeysetOrder("current_flights", (("cid", "int"), ("callsign", "text"), ("logon_time", "timestamp")))
CURRENT_ATC = KeysetOrder("current_atc", (("callsign", "text"), ("cid", "int"), ("logon_time", "timestamp")))


@router.get("/v1/network/status", summary="The live picture (as `vatstats status`)", responses=ONE)
def status(request: Request, conn: Connection) -> Response:
    """Pilots and controllers online in the newest stored snapshot (ATIS not counted), pilot
    connections, movements and snapshots so far today (UTC), and how old the newest snapshot is:
    the figures `vatstats status` prints, read in one query. `last_snapshot_at` is null before the
    first snapshot is stored."""
    figures = asdict(network_status(conn, datetime.now(UTC)))
    return json_response(request, {name: utc_value(value) for name, value in figures.items()}, LIVE)


@router.get("/v1/network/flights", summary="Pilots online now", responses=PAGE)
def current_flights(request: Request, conn: Connection, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    """Every pilot connection in the newest stored snapshot with its position and flight plan,
    ordered by (cid, callsign, logon_time), a page at a time."""
    page = fetch_page(conn, "api_current_flights", CURRENT_FLIGHTS, after(CURRENT_FLIGHTS, cursor), limit, {})
    return page_response(request, page, LIVE)


@router.get("/v1/network/controllers", summary="Controllers and ATIS online now", responses=PAGE)
def current_controllers(request: Request, conn: Connection, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    """Every controller and ATIS connection in the newest stored snapshot (`is_atis` tells them
    apart), ordered by (callsign, cid, logon_time), a page at a time."""
    page = fetch_page(conn, "api_current_atc", CURRENT_ATC, after(CURRENT_ATC, cursor), limit, {})
    return page_response(request, page, LIVE)
