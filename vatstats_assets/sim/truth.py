"""Ground truth: what really happened in the simulated window, to score detection against.

One JSON object per line, written as the simulation clock passes each event:

- `departure` / `arrival`: the exact liftoff / touchdown instant (rounded to the second) at an
  airport, with the callsign and logon_time of the connection in effect at that moment. A
  touch-and-go is one arrival and one departure; a go-around is nothing until the real landing.
- `flight_completed`: written at the final landing. `takeoff_at` may precede the window (the
  flight was already airborne when the simulation started); `departure` is still the true one.
- `controller_session`: one per controller, observer or ATIS connection (`section` says which
  feed list it appears in), written when it ends. `start` and `end` are clipped to the window;
  `logon_time` is the real logon.

- `sector_stay` (only when the simulation is given an airspace, `vatstats simulate --airspace DIR`):
  one stay of one connection in one sector, from its true trajectory (see `sim/sector_truth.py`),
  `entered_at` and `exited_at` to the millisecond, with how it began and ended (`entry`: boundary,
  takeoff, logon, reconnect or window; `exit`: boundary, landing, logoff, reconnect or window).
  Written when the session ends, or when the window closes for sessions still online.

- `contact`: one interval during which a pilot connection and a controller connection were in contact
  by the rules of `core/coverage_rules.py` (same channel, pilot within the station's range of one of
  its transceivers on it, the station providing service, the channel controllable), timed on the true
  trajectory and the true tuning (see `sim/contact_truth.py`) to about 5 ms, `started_at` and
  `ended_at` written to the millisecond and cut at the window's edges. Written when the pilot's
  session ends, or when the window closes.

`aircraft_type`, `filed_departure` and `filed_arrival` are what the feed shows: null for a pilot
without a flight plan, so that a perfect detector reproduces the truth exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

import orjson

from vatstats_assets.sim.timefmt import feed_timestamp, parse_utc, truth_instant, truth_timestamp


@dataclass(frozen=True, slots=True)
class MovementTruth:
    event: Literal["departure", "arrival"]
    airport: str
    at: datetime
    cid: int
    callsign: str
    logon_time: datetime
    aircraft_type: str | None
    filed_departure: str | None
    filed_arrival: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "event": self.event,
            "airport": self.airport,
            "at": truth_timestamp(self.at),
            "cid": self.cid,
            "callsign": self.callsign,
            "logon_time": feed_timestamp(self.logon_time),
            "aircraft_type": self.aircraft_type,
            "filed_departure": self.filed_departure,
            "filed_arrival": self.filed_arrival,
        }


@dataclass(frozen=True, slots=True)
class CompletedFlightTruth:
    cid: int
    callsign: str
    logon_time: datetime  # the connection in which it landed
    departure: str
    arrival: str
    takeoff_at: datetime
    landing_at: datetime
    diverted: bool
    filed_departure: str | None
    filed_arrival: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "event": "flight_completed",
            "cid": self.cid,
            "callsign": self.callsign,
            "logon_time": feed_timestamp(self.logon_time),
            "departure": self.departure,
            "arrival": self.arrival,
            "takeoff_at": truth_timestamp(self.takeoff_at),
            "landing_at": truth_timestamp(self.landing_at),
            "diverted": self.diverted,
            "filed_departure": self.filed_departure,
            "filed_arrival": self.filed_arrival,
        }


@dataclass(frozen=True, slots=True)
class ControllerSessionTruth:
    callsign: str
    cid: int
    facility: int
    rating: int
    start: datetime
    end: datetime
    logon_time: datetime
    section: Literal["controllers", "atis"]

    def to_json(self) -> dict[str, object]:
        return {
            "event": "controller_session",
            "callsign": self.callsign,
            "cid": self.cid,
            "facility": self.facility,
            "rating": self.rating,
            "start": truth_timestamp(self.start),
            "end": truth_timestamp(self.end),
            "logon_time": feed_timestamp(self.logon_time),
            "section": self.section,
        }


@dataclass(frozen=True, slots=True)
class SectorStayTruth:
    sector: str
    cid: int
    callsign: str
    logon_time: datetime
    entered_at: datetime
    exited_at: datetime
    entry: Literal["boundary", "takeoff", "logon", "reconnect", "window"]
    exit: Literal["boundary", "landing", "logoff", "reconnect", "window"]

    def to_json(self) -> dict[str, object]:
        return {
            "event": "sector_stay",
            "sector": self.sector,
            "cid": self.cid,
            "callsign": self.callsign,
            "logon_time": feed_timestamp(self.logon_time),
            "entered_at": truth_instant(self.entered_at),
            "exited_at": truth_instant(self.exited_at),
            "entry": self.entry,
            "exit": self.exit,
        }


@dataclass(frozen=True, slots=True)
class ContactTruth:
    pilot_cid: int
    pilot_callsign: str
    pilot_logon_time: datetime
    atc_cid: int
    atc_callsign: str
    atc_logon_time: datetime
    facility: int
    channel_hz: int
    started_at: datetime
    ended_at: datetime

    @property
    def cid(self) -> int:
        """The pilot's, so that contacts sort with the other events of a pilot."""
        return self.pilot_cid

    @property
    def callsign(self) -> str:
        return self.pilot_callsign

    def to_json(self) -> dict[str, object]:
        return {
            "event": "contact",
            "pilot_cid": self.pilot_cid,
            "pilot_callsign": self.pilot_callsign,
            "pilot_logon_time": feed_timestamp(self.pilot_logon_time),
            "atc_cid": self.atc_cid,
            "atc_callsign": self.atc_callsign,
            "atc_logon_time": feed_timestamp(self.atc_logon_time),
            "facility": self.facility,
            "channel_hz": self.channel_hz,
            "started_at": truth_instant(self.started_at),
            "ended_at": truth_instant(self.ended_at),
        }


TruthEvent = MovementTruth | CompletedFlightTruth | ControllerSessionTruth | SectorStayTruth | ContactTruth


class GroundTruth:
    """Collects truth events in memory and, given a path, appends them to a JSON-lines file as they come."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.movements: list[MovementTruth] = []
        self.completed_flights: list[CompletedFlightTruth] = []
        self.controller_sessions: list[ControllerSessionTruth] = []
        self.sector_stays: list[SectorStayTruth] = []
        self.contacts: list[ContactTruth] = []
        self.path = Path(path) if path is not None else None
        # Kept open for the collector's lifetime (closed by close() or the with-block): events stream in.
        self._file: IO[bytes] | None = open(self.path, "wb") if self.path is not None else None  # noqa: SIM115

    def record(self, events: Sequence[TruthEvent]) -> None:
        for event in events:
            if isinstance(event, MovementTruth):
                self.movements.append(event)
            elif isinstance(event, CompletedFlightTruth):
                self.completed_flights.append(event)
            elif isinstance(event, SectorStayTruth):
                self.sector_stays.append(event)
            elif isinstance(event, ContactTruth):
                self.contacts.append(event)
            else:
                self.controller_sessions.append(event)
        if self._file is not None and events:
            self._file.write(b"".join(orjson.dumps(e.to_json()) + b"\n" for e in events))
            self._file.flush()

    @property
    def departures(self) -> list[MovementTruth]:
        return [m for m in self.movements if m.event == "departure"]

    @property
    def arrivals(self) -> list[MovementTruth]:
        return [m for m in self.movements if m.event == "arrival"]

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> GroundTruth:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @classmethod
    def load(cls, path: str | Path) -> GroundTruth:
        """Read a ground-truth file back (for scoring a detector run against an offline day)."""
        truth = cls()
        events: list[TruthEvent] = []
        with open(path, "rb") as lines:
            for line in lines:
                if line.strip():
                    events.append(event_from_json(orjson.loads(line)))
        truth.record(events)
        return truth


def event_from_json(data: dict) -> TruthEvent:
    kind = data["event"]
    if kind in ("departure", "arrival"):
        return MovementTruth(
            kind, data["airport"], parse_utc(data["at"]), data["cid"], data["callsign"], parse_utc(data["logon_time"]),
            data["aircraft_type"], data["filed_departure"], data["filed_arrival"],
        )
    if kind == "flight_completed":
        return CompletedFlightTruth(
            data["cid"], data["callsign"], parse_utc(data["logon_time"]), data["departure"], data["arrival"],
            parse_utc(data["takeoff_at"]), parse_utc(data["landing_at"]), data["diverted"],
            data["filed_departure"], data["filed_arrival"],
        )
    if kind == "controller_session":
        return ControllerSessionTruth(
            data["callsign"], data["cid"], data["facility"], data["rating"], parse_utc(data["start"]),
            parse_utc(data["end"]), parse_utc(data["logon_time"]), data["section"],
        )
    if kind == "sector_stay":
        return SectorStayTruth(
            data["sector"], data["cid"], data["callsign"], parse_utc(data["logon_time"]),
            parse_utc(data["entered_at"]), parse_utc(data["exited_at"]), data["entry"], data["exit"],
        )
    if kind == "contact":
        return ContactTruth(
            data["pilot_cid"], data["pilot_callsign"], parse_utc(data["pilot_logon_time"]), data["atc_cid"],
            data["atc_callsign"], parse_utc(data["atc_logon_time"]), data["facility"], data["channel_hz"],
            parse_utc(data["started_at"]), parse_utc(data["ended_at"]),
        )
    raise ValueError(f"unknown ground-truth event {kind!r}")
