"""Warehouse rows the API tests insert, beyond vatstats_tests/support/warehouse_rows.py's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any


def position(cid: int, callsign: str, logon_time: datetime, observed_at: datetime, altitude_ft: int = 0) -> dict[str, Any]:
    return {
        "cid": cid, "callsign": callsign, "logon_time": logon_time, "observed_at": observed_at,
        "latitude": -33.9, "longitude": 151.2, "altitude_ft": altitude_ft, "groundspeed_kt": 0, "heading_deg": 0,
    }


def flight_summary(cid: int, landing_at: datetime, callsign: str | None = None) -> dict[str, Any]:
    return {
        "cid": cid, "callsign": callsign or f"QFA{cid % 1000}", "logon_time": landing_at - timedelta(hours=2),
        "landing_at": landing_at, "aircraft_type": "B738", "flight_rules": "I", "filed_departure": "YMML",
        "filed_arrival": "YSSY", "departure": "YMML", "arrival": "YSSY", "off_block_at": None, "takeoff_at": None,
        "on_block_at": None, "airborne_minutes": 75.0, "distance_nm": 380.0, "max_altitude_ft": 35000,
        "diverted": False,
    }


def controller_summary(day: date, callsign: str, cid: int, minutes: float = 90.0) -> dict[str, Any]:
    return {"date": day, "callsign": callsign, "cid": cid, "facility": 5, "rating": 5, "sessions": 1,
            "minutes_online": minutes}


def network_day(day: date, unique_pilots: int = 100) -> dict[str, Any]:
    return {
        "date": day, "unique_pilots": unique_pilots, "unique_controllers": 10, "peak_pilots": 40,
        "peak_pilots_at": None, "peak_controllers": 5, "peak_controllers_at": None, "snapshots_ingested": 5760,
        "snapshots_missed": 0, "busiest_airports": '[{"airport": "YSSY", "movements": 12}]',
    }
