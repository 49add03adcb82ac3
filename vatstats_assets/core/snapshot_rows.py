"""Turn a parsed snapshot into the rows of the ingest tables (pure: no database, no Dagster).

Rows are NamedTuples whose fields are the table's columns in order (storage/tables.py takes the
column lists from them), so the writer streams them to COPY as they are. The region filter and
the "store no names" setting are applied here, so every ingest path (live, replay, benchmark)
shares them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from vatstats_assets.core.feed import Controller, FlightPlan, Pilot, Snapshot
from vatstats_assets.core.region import Region

PositionKey = tuple[int, str, datetime]


class FlightRow(NamedTuple):
    """One row of vatstats.flights; the fields are the columns the writer streams, in order."""

    cid: int
    callsign: str
    logon_time: datetime
    name: str | None
    server: str | None
    pilot_rating: int | None
    military_rating: int | None
    latitude: float
    longitude: float
    altitude_ft: int
    groundspeed_kt: int
    heading_deg: int
    transponder: str | None
    qnh_mb: int | None
    flight_rules: str | None
    aircraft: str | None
    aircraft_type: str | None
    departure: str | None
    arrival: str | None
    alternate: str | None
    cruise_tas_kt: int | None
    planned_altitude_ft: int | None
    deptime: str | None
    enroute_time: str | None
    route: str | None
    remarks: str | None
    revision_id: int | None
    assigned_transponder: str | None
    last_updated: datetime
    first_seen: datetime
    last_seen: datetime
    max_altitude_ft: int
    # When the position last changed; a new connection moved when first seen. The upsert keeps the
    # stored value while the aircraft stands still (sql/queries/flights_moved_at.sql).
    moved_at: datetime


class PositionRow(NamedTuple):
    """One row of vatstats.flight_positions."""

    cid: int
    callsign: str
    logon_time: datetime
    observed_at: datetime
    latitude: float
    longitude: float
    altitude_ft: int
    groundspeed_kt: int
    heading_deg: int


class AtcRow(NamedTuple):
    """One row of vatstats.atc_positions."""

    callsign: str
    cid: int
    logon_time: datetime
    name: str | None
    frequency_khz: int | None
    facility: int
    rating: int
    server: str | None
    visual_range: int | None
    is_atis: bool
    atis_code: str | None
    text_atis: str | None
    last_updated: datetime
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class TickRows:
    """Everything one snapshot writes, plus what was left out and why."""

    observed_at: datetime
    flights: list[FlightRow]
    atc_positions: list[AtcRow]
    rejected: dict[str, int] = field(default_factory=dict)

    @property
    def positions(self) -> list[PositionRow]:
        """Each flight's position at this snapshot: the track rows it contributes.

        Built on demand: ingestion never needs them in Python, as PostgreSQL takes them from the
        flights rows it has already received (sql/queries/append_moved_positions.sql).
        """
        return [position_of(flight) for flight in self.flights]


def _has_nul(row: tuple) -> bool:
    # Every text column, not a chosen few: one NUL anywhere makes COPY refuse the whole tick.
    return any(type(v) is str and "\x00" in v for v in row)


def _never(row: tuple) -> bool:
    return False


# A tick builds 4,000 flight rows: the pilot's and the plan's fields are taken in FlightRow's order
# by one itemgetter call each, rather than 28 attribute reads (7.3 -> 4.9 ms a tick).
_PILOT_FIELDS = itemgetter(*map(Pilot._fields.index, (
    "cid", "callsign", "logon_time", "name", "server", "pilot_rating", "military_rating", "latitude",
    "longitude", "altitude_ft", "groundspeed_kt", "heading_deg", "transponder", "qnh_mb",
)))
_FILED_FIELDS = itemgetter(*map(FlightPlan._fields.index, (
    "flight_rules", "aircraft", "aircraft_short", "departure", "arrival", "alternate", "cruise_tas_kt",
    "altitude_ft", "deptime", "enroute_time", "route", "remarks", "revision_id", "assigned_transponder",
)))
_NO_PLAN = (None,) * 14
_NAME = FlightRow._fields.index("name")
# A FlightRow from its fields, without the NamedTuple's _make and its length check (Python functions).
_flight_row_of = partial(tuple.__new__, FlightRow)


def flight_row(pilot: Pilot, seen: datetime, store_names: bool) -> FlightRow:
    plan = pilot.flight_plan
    fields = _PILOT_FIELDS(pilot)
    if not store_names:
        fields = (*fields[:_NAME], None, *fields[_NAME + 1:])
    return _flight_row_of((
        *fields, *(_NO_PLAN if plan is None else _FILED_FIELDS(plan)),
        pilot.last_updated, seen, seen, pilot.altitude_ft, seen,
    ))


def position_of(flight: FlightRow) -> PositionRow:
    """The track row of a flight as one snapshot saw it."""
    return PositionRow(
        flight.cid, flight.callsign, flight.logon_time, flight.last_seen, flight.latitude, flight.longitude,
        flight.altitude_ft, flight.groundspeed_kt, flight.heading_deg,
    )


def atc_row(controller: Controller, seen: datetime, is_atis: bool, store_names: bool) -> AtcRow:
    return AtcRow(
        controller.callsign, controller.cid, controller.logon_time,
        controller.name if store_names else None,
        controller.frequency_khz, controller.facility, controller.rating, controller.server,
        controller.visual_range, is_atis, controller.atis_code, controller.text_atis,
        controller.last_updated, seen, seen,
    )


_BACKSLASHES_LOOKED_AT = 64


def body_may_contain_nul(body: bytes) -> bool:
    """Whether any text in a feed body can hold a NUL: JSON can only write one as \\u0000.

    One scan of the bytes spares checking every text of every record. A feed has a few dozen
    backslashes at most, so they are found by memchr (0.02 ms for 1.3 MB) and the text after each
    looked at; a search for the whole escape takes 0.7 ms. A compressed body cannot be scanned,
    so it is assumed to hold one.
    """
    if body[:2] == b"\x1f\x8b":
        return True
    at = body.find(b"\\")
    for _ in range(_BACKSLASHES_LOOKED_AT):
        if at < 0:
            return False
        if body.startswith(b"u0000", at + 1):
            return True
        at = body.find(b"\\", at + 1)
    return at >= 0 and b"\\u0000" in body[at:]  # backslashes by the thousand: one search for the rest


def tick_rows(
    snapshot: Snapshot, region: Region, *, store_names: bool = True, may_contain_nul: bool = True
) -> TickRows:
    """The rows one snapshot contributes, observed at its update_timestamp.

    `may_contain_nul=False` (from `body_may_contain_nul`) skips the per-record NUL checks.
    """
    seen = snapshot.update_timestamp
    has_nul = _has_nul if may_contain_nul else _never
    rejected: dict[str, int] = {}
    flights = []
    pilots = snapshot.pilots
    kept = None
    if not region.is_global:
        # The whole snapshot at once: a boundary region tests every position in one vectorised call.
        plans = [pilot.flight_plan for pilot in pilots]
        kept = region.contains_pilots(
            [pilot.latitude for pilot in pilots], [pilot.longitude for pilot in pilots],
            [plan.departure if plan else None for plan in plans], [plan.arrival if plan else None for plan in plans],
        )
    for index, pilot in enumerate(pilots):
        if kept is not None and not kept[index]:
            continue
        flight = flight_row(pilot, seen, store_names)
        if has_nul(flight):
            # PostgreSQL text cannot hold NUL; the record is refused, never altered silently.
            rejected["pilot text contains a NUL character"] = rejected.get("pilot text contains a NUL character", 0) + 1
            continue
        flights.append(flight)
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
    return TickRows(seen, flights, atc, rejected)


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
    positions: Iterable[PositionRow], previous: Mapping[PositionKey, tuple[float, float, int, int]]
) -> list[PositionRow]:
    """Positions worth storing: those whose connection is new or whose position changed.

    `previous` holds each connection's position in the snapshot before (latitude, longitude,
    altitude, groundspeed), as its flights row does; the caller keeps it for every position seen,
    stored or not. A parked aircraft reports the same coordinates every 15 s for hours; storing
    each repeat would make it most of the track table while telling movement detection nothing.
    Ingestion applies the same rule inside PostgreSQL (sql/queries/flights_moved_at.sql); this one
    serves the simulated tracks that detection is scored on.
    """
    kept = []
    for row in positions:
        key = (row.cid, row.callsign, row.logon_time)
        current = (row.latitude, row.longitude, row.altitude_ft, row.groundspeed_kt)
        if not _unchanged(current, previous.get(key)):
            kept.append(row)
    return kept
