"""Turn a parsed snapshot into the rows of the ingest tables (pure: no database, no Dagster).

Rows are plain dicts keyed by column name, in the order of the table specs. The region filter and
the "store no names" setting are applied here, so every ingest path (live, replay, benchmark)
shares them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vatstats_assets.core.feed import Controller, Pilot, Snapshot
from vatstats_assets.core.region import Region

Row = dict[str, Any]
PositionKey = tuple[int, str, datetime]


@dataclass(frozen=True)
class TickRows:
    """Everything one snapshot writes, plus what was left out and why."""

    observed_at: datetime
    flights: list[Row]
    atc_positions: list[Row]
    positions: list[Row]
    rejected: dict[str, int] = field(default_factory=dict)


def _has_nul(row: Row) -> bool:
    # Every text column, not a chosen few: one NUL anywhere makes COPY refuse the whole tick.
    return any(type(v) is str and "\x00" in v for v in row.values())


def _never(row: Row) -> bool:
    return False


def flight_row(pilot: Pilot, seen: datetime, store_names: bool) -> Row:
    plan = pilot.flight_plan
    return {
        "cid": pilot.cid,
        "callsign": pilot.callsign,
        "logon_time": pilot.logon_time,
        "name": pilot.name if store_names else None,
        "server": pilot.server,
        "pilot_rating": pilot.pilot_rating,
        "military_rating": pilot.military_rating,
        "latitude": pilot.latitude,
        "longitude": pilot.longitude,
        "altitude_ft": pilot.altitude_ft,
        "groundspeed_kt": pilot.groundspeed_kt,
        "heading_deg": pilot.heading_deg,
        "transponder": pilot.transponder,
        "qnh_mb": pilot.qnh_mb,
        "flight_rules": plan.flight_rules if plan else None,
        "aircraft": plan.aircraft if plan else None,
        "aircraft_type": plan.aircraft_short if plan else None,
        "departure": plan.departure if plan else None,
        "arrival": plan.arrival if plan else None,
        "alternate": plan.alternate if plan else None,
        "cruise_tas_kt": plan.cruise_tas_kt if plan else None,
        "planned_altitude_ft": plan.altitude_ft if plan else None,
        "deptime": plan.deptime if plan else None,
        "enroute_time": plan.enroute_time if plan else None,
        "route": plan.route if plan else None,
        "remarks": plan.remarks if plan else None,
        "revision_id": plan.revision_id if plan else None,
        "assigned_transponder": plan.assigned_transponder if plan else None,
        "last_updated": pilot.last_updated,
        "first_seen": seen,
        "last_seen": seen,
        "max_altitude_ft": pilot.altitude_ft,
    }


def position_row(pilot: Pilot, seen: datetime) -> Row:
    return {
        "cid": pilot.cid,
        "callsign": pilot.callsign,
        "logon_time": pilot.logon_time,
        "observed_at": seen,
        "latitude": pilot.latitude,
        "longitude": pilot.longitude,
        "altitude_ft": pilot.altitude_ft,
        "groundspeed_kt": pilot.groundspeed_kt,
        "heading_deg": pilot.heading_deg,
    }


def atc_row(controller: Controller, seen: datetime, is_atis: bool, store_names: bool) -> Row:
    return {
        "callsign": controller.callsign,
        "cid": controller.cid,
        "logon_time": controller.logon_time,
        "name": controller.name if store_names else None,
        "frequency_khz": controller.frequency_khz,
        "facility": controller.facility,
        "rating": controller.rating,
        "server": controller.server,
        "visual_range": controller.visual_range,
        "is_atis": is_atis,
        "atis_code": controller.atis_code,
        "text_atis": controller.text_atis,
        "last_updated": controller.last_updated,
        "first_seen": seen,
        "last_seen": seen,
    }


def body_may_contain_nul(body: bytes) -> bool:
    """Whether any text in a feed body can hold a NUL: JSON can only write one as \\u0000.

    One scan of the bytes (about a millisecond) spares checking every text of every record.
    A compressed body cannot be scanned, so it is assumed to.
    """
    return body[:2] == b"\x1f\x8b" or b"\\u0000" in body


def tick_rows(
    snapshot: Snapshot, region: Region, *, store_names: bool = True, may_contain_nul: bool = True
) -> TickRows:
    """The rows one snapshot contributes, observed at its update_timestamp.

    `may_contain_nul=False` (from `body_may_contain_nul`) skips the per-record NUL checks.
    """
    seen = snapshot.update_timestamp
    has_nul = _has_nul if may_contain_nul else _never
    rejected: dict[str, int] = {}
    flights, positions = [], []
    for pilot in snapshot.pilots:
        plan = pilot.flight_plan
        if not region.contains_pilot(pilot.latitude, pilot.longitude,
                                     plan.departure if plan else None, plan.arrival if plan else None):
            continue
        flight = flight_row(pilot, seen, store_names)
        if has_nul(flight):
            # PostgreSQL text cannot hold NUL; the record is refused, never altered silently.
            rejected["pilot text contains a NUL character"] = rejected.get("pilot text contains a NUL character", 0) + 1
            continue
        flights.append(flight)
        positions.append(position_row(pilot, seen))
    atc = []
    for controllers, is_atis in ((snapshot.controllers, False), (snapshot.atis, True)):
        for controller in controllers:
            if not region.contains_controller(controller.callsign):
                continue
            row = atc_row(controller, seen, is_atis, store_names)
            if has_nul(row):
                reason = "controller text contains a NUL character"
                rejected[reason] = rejected.get(reason, 0) + 1
                continue
            atc.append(row)
    return TickRows(seen, flights, atc, positions, rejected)


# A parked aircraft's reported altitude wanders by a few feet with the simulator's ground model;
# within this band, standing still at the same coordinates is "not moved". A helicopter climbing
# in a hover changes by hundreds of feet between samples and is still stored.
PARKED_ALTITUDE_JITTER_FT = 50


def _unchanged(current: tuple, stored: tuple | None) -> bool:
    if stored is None:
        return False
    if current == stored:
        return True
    lat, lon, altitude, groundspeed = current
    stored_lat, stored_lon, stored_altitude, stored_groundspeed = stored
    return (
        groundspeed == 0 and stored_groundspeed == 0 and lat == stored_lat and lon == stored_lon
        and abs(altitude - stored_altitude) <= PARKED_ALTITUDE_JITTER_FT
    )


def moved_positions(
    positions: Iterable[Row], last_stored: Mapping[PositionKey, tuple[float, float, int, int]]
) -> list[Row]:
    """Positions worth storing: those whose connection is new or whose position changed.

    A parked aircraft reports the same coordinates every 15 s for hours; storing each repeat
    would make it most of the track table while telling movement detection nothing.
    """
    kept = []
    for row in positions:
        key = (row["cid"], row["callsign"], row["logon_time"])
        current = (row["latitude"], row["longitude"], row["altitude_ft"], row["groundspeed_kt"])
        if not _unchanged(current, last_stored.get(key)):
            kept.append(row)
    return kept
