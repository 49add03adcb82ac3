"""Small hand-made data and transceivers feeds, for the tests of tuning runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
LOGON = "2026-11-20T05:00:00Z"
SYDNEY = (-33.95, 151.18)
MELBOURNE = (-37.67, 144.84)


def pilot(callsign: str = "QFA1", cid: int = 1001, logon: str = LOGON) -> dict[str, Any]:
    return {"cid": cid, "name": "P", "callsign": callsign, "latitude": -33.0, "longitude": 151.0,
            "altitude": 30000, "groundspeed": 450, "heading": 90, "logon_time": logon,
            "last_updated": logon}


def controller(callsign: str = "SY_TWR", cid: int = 2001, logon: str = LOGON) -> dict[str, Any]:
    return {"cid": cid, "name": "C", "callsign": callsign, "frequency": "120.500", "facility": 4,
            "rating": 5, "logon_time": logon, "last_updated": logon}


def data_body(at: datetime, pilots=(), controllers=(), atis=()) -> bytes:
    return orjson.dumps({
        "general": {"version": 3, "update_timestamp": at.isoformat().replace("+00:00", "Z")},
        "pilots": list(pilots), "controllers": list(controllers), "atis": list(atis),
    })


def radio(frequency: int, site: tuple[float, float] = SYDNEY) -> dict[str, Any]:
    return {"id": 0, "frequency": frequency, "latDeg": site[0], "lonDeg": site[1], "heightMslM": 10.0,
            "heightAglM": 5.0}


def tx_body(**by_callsign: list[dict[str, Any]]) -> bytes:
    return orjson.dumps([{"callsign": callsign, "transceivers": radios} for callsign, radios in by_callsign.items()])
