"""A few days of every exportable table, constructed row by row, for the export tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.tables import (
    ATC_CONTACTS,
    ATC_POSITIONS,
    CONTROLLER_SUMMARIES,
    COVERAGE_HOURLY,
    FLIGHT_POSITIONS,
    FLIGHT_SUMMARIES,
    FLIGHTS,
    MOVEMENT_SUMMARIES,
    NETWORK_DAILY_STATS,
    SECTOR_HOURLY_LOAD,
    SECTOR_OCCUPANCY,
    TRANSCEIVER_TUNINGS,
)
from vatstats_tests.support.warehouse_rows import add, add_movements, controller, flight, movement


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def add_day(engine: sa.Engine, day: date, *, seed: int = 0) -> None:
    """Rows of every exportable table on `day`, with NULLs, microseconds, JSON and rows at both edges
    of the day (00:00:00 is in it, the next midnight is not)."""
    start = midnight(day)
    cid = 1000 + seed
    add_movements(engine, [
        movement("YSSY", "departure", start + timedelta(hours=6, microseconds=123456), cid=cid),
        movement("YMML", "arrival", start + timedelta(hours=7, minutes=30), cid=cid, aircraft_type=None),
        movement("YBBN", "arrival", start, cid=cid + 1),  # the first instant of the day
    ])
    add(engine, FLIGHT_POSITIONS, [
        {"cid": cid, "callsign": f"QFA{seed}", "logon_time": start + timedelta(hours=5), "observed_at": at,
         "latitude": -33.9 + i / 100, "longitude": 151.17 + i / 100, "altitude_ft": 100 * i,
         "groundspeed_kt": 10 * i, "heading_deg": 270}
        for i, at in enumerate([start + timedelta(hours=5, seconds=15 * k) for k in range(4)]
                               + [start + timedelta(days=1) - timedelta(microseconds=1)])
    ])
    add(engine, FLIGHTS, [
        flight(cid, start + timedelta(hours=5), start + timedelta(hours=8)),
        # online across the previous midnight: belongs to the day it was last seen
        flight(cid + 1, start - timedelta(hours=2), start + timedelta(hours=1)) | {
            "name": "Jane Example", "aircraft_type": "A320", "remarks": "PBN/A1 /v/", "moved_at": start,
        },
    ])
    add(engine, ATC_POSITIONS, [
        controller("SY_TWR", cid + 2, start + timedelta(hours=9), start + timedelta(hours=11)) | {"frequency_khz": 120500},
        controller("SY_ATIS", cid + 3, start + timedelta(hours=9), start + timedelta(hours=11), is_atis=True),
    ])
    add(engine, MOVEMENT_SUMMARIES, [
        {"date": day, "airport": "YSSY", "hour": 6, "movement_type": "departure", "aircraft_type": "B738", "movements": 3},
        {"date": day, "airport": "YMML", "hour": 7, "movement_type": "arrival", "aircraft_type": "ZZZZ", "movements": 1},
    ])
    add(engine, FLIGHT_SUMMARIES, [
        {"cid": cid, "callsign": f"QFA{seed}", "logon_time": start + timedelta(hours=5),
         "landing_at": start + timedelta(hours=7, minutes=25), "aircraft_type": "B738", "flight_rules": "I",
         "filed_departure": "YSSY", "filed_arrival": "YMML", "departure": "YSSY", "arrival": "YMML",
         "off_block_at": start + timedelta(hours=5, minutes=50), "takeoff_at": start + timedelta(hours=6),
         "on_block_at": None, "airborne_minutes": 85.5, "distance_nm": 382.25, "max_altitude_ft": 37000,
         "diverted": False, "atc_covered_seconds": 2400.0, "atc_covered_share": 0.25,
         "atc_airborne_covered_seconds": 1800.0, "atc_airborne_covered_share": None, "covered_fss_seconds": 0.0,
         "covered_delivery_seconds": 0.0, "covered_ground_seconds": 600.0, "covered_tower_seconds": 1800.0,
         "covered_approach_seconds": 0.0, "covered_centre_seconds": None},
    ])
    add(engine, CONTROLLER_SUMMARIES, [
        {"date": day, "callsign": "SY_TWR", "cid": cid + 2, "facility": 4, "rating": 5, "sessions": 1,
         "minutes_online": 120.0, "aircraft_handled": 1, "peak_aircraft": 1,
         "peak_aircraft_at": start + timedelta(hours=9, seconds=7, microseconds=500000)},
    ])
    add(engine, TRANSCEIVER_TUNINGS, [
        {"cid": cid, "callsign": f"QFA{seed}", "logon_time": start + timedelta(hours=5), "is_pilot": True,
         "frequency_hz": 120_500_000, "channel_hz": 120_500_000, "first_seen": start + timedelta(hours=9),
         "last_seen": start + timedelta(hours=9, minutes=30), "site_latitudes": None, "site_longitudes": None},
        {"cid": cid + 2, "callsign": "SY_TWR", "logon_time": start + timedelta(hours=9), "is_pilot": False,
         "frequency_hz": 120_500_000, "channel_hz": 120_500_000, "first_seen": start + timedelta(hours=9),
         "last_seen": start + timedelta(hours=11), "site_latitudes": "{-33.75,-33.5}",
         "site_longitudes": "{151.25,151.125}"},
    ])
    add(engine, ATC_CONTACTS, [
        {"pilot_cid": cid, "pilot_callsign": f"QFA{seed}", "pilot_logon_time": start + timedelta(hours=5),
         "atc_cid": cid + 2, "atc_callsign": "SY_TWR", "atc_logon_time": start + timedelta(hours=9), "facility": 4,
         "channel_hz": 120_500_000, "started_at": start + timedelta(hours=9, seconds=-7.5),
         "ended_at": start + timedelta(hours=9, minutes=30, seconds=7.5)},
    ])
    add(engine, NETWORK_DAILY_STATS, [
        {"date": day, "unique_pilots": 2, "unique_controllers": 1, "peak_pilots": 2,
         "peak_pilots_at": start + timedelta(hours=6), "peak_controllers": 1, "peak_controllers_at": None,
         "snapshots_ingested": 5760, "snapshots_missed": 0,
         "busiest_airports": json.dumps([{"airport": "YSSY", "movements": 3}])},
    ])
    add(engine, COVERAGE_HOURLY, [
        {"date": day, "hour": 9, "area_kind": "airport", "area": "YSSY", "aircraft": 2, "aircraft_minutes": 80,
         "covered_aircraft_minutes": 30, "uncovered_aircraft_minutes": 50, "covered_share": 0.375, "staffed_minutes": 60,
         "peak_aircraft": 2},
        {"date": day, "hour": 9, "area_kind": "enroute", "area": "all", "aircraft": 1, "aircraft_minutes": 60,
         "covered_aircraft_minutes": 0, "uncovered_aircraft_minutes": 60, "covered_share": 0.0, "staffed_minutes": 0,
         "peak_aircraft": 1},
    ])
    add(engine, SECTOR_OCCUPANCY, [
        {"sector": "SY_APP", "cid": cid, "callsign": f"QFA{seed}", "logon_time": start + timedelta(hours=5),
         "entered_at": start + timedelta(hours=6, seconds=41, microseconds=5), "exited_at": start + timedelta(hours=6, minutes=14),
         "entry": "takeoff", "exit": "boundary", "airspace_version": "sha256:test"},
    ])
    add(engine, SECTOR_HOURLY_LOAD, [
        {"date": day, "hour": 6, "sector": "SY_APP", "aircraft": 1, "entries": 1, "aircraft_minutes": 13.25,
         "peak_aircraft": 1, "peak_at": start + timedelta(hours=6, seconds=41), "staffed_minutes": 0.0,
         "unstaffed_aircraft_minutes": 13.25, "airspace_version": "sha256:test"},
    ])


def add_positions(engine: sa.Engine, day: date, rows: int) -> None:
    """`rows` track positions on `day` (100 connections, a point every second), made by PostgreSQL."""
    with engine.begin() as conn:
        ensure_partitions(conn, day, day, [FLIGHT_POSITIONS.name])
        conn.execute(sa.text(
            "INSERT INTO vatstats.flight_positions"
            " SELECT 1 + n % 100, 'VOZ' || (n % 100), :start, :start + (n / 100) * interval '1 second',"
            "        -33.9 + n * 1e-6, 151.1 - n * 1e-6, n % 40000, n % 500, n % 360"
            " FROM generate_series(0, :rows - 1) AS n"
        ), {"start": midnight(day), "rows": rows})


def rows_of_day(engine: sa.Engine, table: str, column: str, day: date, order_by: str) -> list[dict[str, Any]]:
    """The warehouse's rows of a day, as Python values, in the export's order."""
    is_date = column == "date"
    bounds = {"start": day, "end": day + timedelta(days=1)} if is_date else {
        "start": midnight(day), "end": midnight(day) + timedelta(days=1)}
    with engine.connect() as conn:
        conn.exec_driver_sql("SET TIME ZONE 'UTC'")
        return [dict(r._mapping) for r in conn.execute(sa.text(
            f"SELECT * FROM vatstats.{table} WHERE {column} >= :start AND {column} < :end ORDER BY {order_by}"
        ), bounds)]
