"""The typed model of one VATSIM v3 feed snapshot.

Immutable records with no behaviour beyond small conveniences: the parser in `feed_parse`
builds them, everything downstream reads them. Times are timezone-aware UTC, frequencies
integer kHz, altitudes integer feet.

The records a snapshot holds by the thousand (pilots, flight plans, controllers, prefiles,
servers) are NamedTuples: as immutable as a frozen dataclass, but built about four times
faster (a frozen dataclass sets each field through object.__setattr__), which is a tenth of
a 4,000-pilot tick. The snapshot-level types stay frozen dataclasses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


class FeedFormatError(ValueError):
    """The whole snapshot is unusable: it is not a v3 feed (empty, not JSON, wrong shape)."""


class FlightPlan(NamedTuple):
    flight_rules: str | None
    aircraft: str | None
    aircraft_faa: str | None
    aircraft_short: str | None
    departure: str | None  # upper-cased ICAO code; "" in the feed becomes None
    arrival: str | None
    alternate: str | None
    cruise_tas_kt: int | None
    altitude_ft: int | None  # filed cruise altitude: "FL380" -> 38000, "" or "VFR" -> None
    deptime: str | None  # "HHMM" as filed
    enroute_time: str | None
    fuel_time: str | None
    remarks: str | None
    route: str | None
    revision_id: int | None
    assigned_transponder: str | None  # absent before 2022 feeds


class Pilot(NamedTuple):
    cid: int
    name: str
    callsign: str
    server: str | None
    pilot_rating: int | None
    military_rating: int | None  # absent before 2022 feeds
    latitude: float
    longitude: float
    altitude_ft: int
    groundspeed_kt: int
    heading_deg: int
    transponder: str | None
    qnh_i_hg: float | None
    qnh_mb: int | None
    flight_plan: FlightPlan | None
    logon_time: datetime
    last_updated: datetime


class Controller(NamedTuple):
    """A controller connection; the feed's `atis` section uses the same shape."""

    cid: int
    name: str
    callsign: str
    frequency_khz: int | None  # "118.700" -> 118700; observers sit on 199998
    facility: int
    rating: int
    server: str | None
    visual_range: int | None
    text_atis: str | None  # the feed's list of lines joined with "\n"
    atis_code: str | None  # only ATIS entries carry one
    logon_time: datetime
    last_updated: datetime


class Prefile(NamedTuple):
    cid: int
    name: str
    callsign: str
    flight_plan: FlightPlan | None
    last_updated: datetime


class Server(NamedTuple):
    ident: str
    hostname_or_ip: str | None
    location: str | None
    name: str | None
    clients_connection_allowed: bool | None


@dataclass(frozen=True, slots=True)
class General:
    version: int
    update_timestamp: datetime  # identifies the snapshot
    connected_clients: int | None
    unique_users: int | None
    reload: int | None


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """One record the parser left out, and why (e.g. "pilots", 17, "latitude is not a number")."""

    section: str
    index: int  # position in the feed's list, so the raw record can be found again
    reason: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    general: General
    pilots: tuple[Pilot, ...]
    controllers: tuple[Controller, ...]
    atis: tuple[Controller, ...]
    servers: tuple[Server, ...]
    prefiles: tuple[Prefile, ...]
    facilities: dict[int, str]  # id -> short name, e.g. 4 -> "TWR"
    ratings: dict[int, str]
    pilot_ratings: dict[int, str]
    military_ratings: dict[int, str]
    skipped: tuple[SkippedRecord, ...]
    duplicates_dropped: int  # same callsign twice in a section: only the latest last_updated kept

    @property
    def update_timestamp(self) -> datetime:
        return self.general.update_timestamp

    def skipped_by_reason(self) -> dict[str, int]:
        return dict(Counter(record.reason for record in self.skipped))
