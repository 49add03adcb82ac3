"""A small simulated period for the simulator tests, reduced to compact tracks.

4 hours across midnight UTC with 120 pilots: long enough for every kind of traffic to
happen a few times, small enough to build in about a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from vatstats_assets.sim import GroundTruth, generate_snapshots
from vatstats_assets.sim.timefmt import feed_timestamp

DAY_START = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
DAY_HOURS = 4.0
DAY_PILOTS = 120
DAY_SEED = 3

ConnectionKey = tuple[int, str, str]  # cid, callsign, logon_time as the feed prints it


@dataclass(frozen=True, slots=True)
class Sample:
    at: datetime
    latitude: float
    longitude: float
    altitude: int
    groundspeed: int


@dataclass
class SimulatedDay:
    truth: GroundTruth
    first_update: datetime
    last_update: datetime
    first_snapshot: dict
    last_snapshot: dict
    snapshots: int = 0
    tracks: dict[ConnectionKey, list[Sample]] = field(default_factory=dict)
    controllers_seen: dict[ConnectionKey, tuple[datetime, datetime]] = field(default_factory=dict)
    pilots_per_snapshot: list[int] = field(default_factory=list)
    pilots_without_flight_plan: int = 0
    duplicate_callsigns: int = 0


def connection_key(cid: int, callsign: str, logon_time: datetime) -> ConnectionKey:
    return cid, callsign, feed_timestamp(logon_time)


def simulate_day() -> SimulatedDay:
    truth = GroundTruth()
    day: SimulatedDay | None = None
    for at, snapshot in generate_snapshots(DAY_START, DAY_HOURS, DAY_PILOTS, DAY_SEED, truth=truth,
                                           contacts=False):
        if day is None:
            day = SimulatedDay(truth, at, at, snapshot, snapshot)
        day.last_update = at
        day.last_snapshot = snapshot
        day.snapshots += 1
        pilots = snapshot["pilots"]
        day.pilots_per_snapshot.append(len(pilots))
        callsigns = [p["callsign"] for p in pilots]
        day.duplicate_callsigns += len(callsigns) - len(set(callsigns))
        for pilot in pilots:
            day.pilots_without_flight_plan += pilot["flight_plan"] is None
            key = (pilot["cid"], pilot["callsign"], pilot["logon_time"])
            day.tracks.setdefault(key, []).append(
                Sample(at, pilot["latitude"], pilot["longitude"], pilot["altitude"], pilot["groundspeed"])
            )
        for controller in snapshot["controllers"] + snapshot["atis"]:
            key = (controller["cid"], controller["callsign"], controller["logon_time"])
            first, _ = day.controllers_seen.get(key, (at, at))
            day.controllers_seen[key] = (first, at)
    assert day is not None
    return day
