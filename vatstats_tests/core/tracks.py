"""Constructed aircraft tracks for movement tests and the detection benchmark.

`Flight` flies one aircraft second by second (taxi, take-off roll, climb, cruise, a 3 degree
approach, touchdown, roll-out) and samples it every 15 s the way the feed does, while writing down
the exact second of every lift-off and touchdown: the ground truth the detection is judged against.
Positions come from real airports (airportsdata), so the detection's airport look-ups are real too.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from vatstats_assets.core.airports import Airport, AirportIndex
from vatstats_assets.core.geo import destination_point, haversine_nm, initial_bearing_deg
from vatstats_assets.core.movements import Connection, TrackPoint

AIRPORTS = AirportIndex.from_airportsdata()

# A 3 degree glide path descends 318 ft per nautical mile (6076 ft * tan 3 degrees).
GLIDE_FT_PER_NM = 318.0


def utc(text: str) -> datetime:
    """'2026-11-20 06:00:00' -> an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def airport(icao: str) -> Airport:
    found = AIRPORTS.get(icao)
    assert found is not None, icao
    return found


@dataclass(frozen=True)
class TruthEvent:
    movement_type: str  # "departure" | "arrival"
    airport: str
    at: datetime


@dataclass
class Flight:
    """An aircraft flown second by second and sampled like the feed.

    `ground_offset_ft` is how far its ground readings sit from the published field elevation;
    `jitter_ft` adds Gaussian noise to every altitude sample (seeded, so tests stay deterministic).
    """

    origin: str
    start: datetime
    sample_every_s: int = 15
    sample_phase_s: int = 0
    ground_offset_ft: float = 0.0
    jitter_ft: float = 0.0
    seed: int = 1
    gate_bearing_deg: float = 45.0
    gate_distance_nm: float = 0.4
    samples: list[TrackPoint] = field(default_factory=list)
    truth: list[TruthEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        field_ = airport(self.origin)
        self.lat, self.lon = destination_point(
            field_.latitude, field_.longitude, self.gate_bearing_deg, self.gate_distance_nm
        )
        self.alt = field_.elevation_ft  # true altitude, feet MSL
        self.gs = 0.0
        self.heading = 0.0
        self.on_ground = True
        self.at_airport = field_
        self.t = self.start
        self._elapsed = 0
        self._rng = random.Random(self.seed)

    # -- the clock -------------------------------------------------------------------------------

    def _tick(self) -> None:
        """Advance one second along the current heading, then sample if a feed update is due."""
        if self.gs > 0:
            self.lat, self.lon = destination_point(self.lat, self.lon, self.heading, self.gs / 3600.0)
        self.t += timedelta(seconds=1)
        self._elapsed += 1
        if (self._elapsed - self.sample_phase_s) % self.sample_every_s == 0:
            reading = self.alt + (self.ground_offset_ft if self.on_ground else 0.0)
            if self.jitter_ft:
                reading += self._rng.gauss(0.0, self.jitter_ft)
            self.samples.append(TrackPoint(self.t, self.lat, self.lon, round(reading), round(self.gs)))

    def _agl(self, field_: Airport) -> float:
        return self.alt - field_.elevation_ft

    # -- on the ground ---------------------------------------------------------------------------

    def park(self, seconds: int) -> Flight:
        self.gs = 0.0
        for _ in range(seconds):
            self._tick()
        return self

    def taxi(self, seconds: int, speed_kt: float = 15.0, heading: float | None = None) -> Flight:
        if heading is not None:
            self.heading = heading
        self.gs = speed_kt
        for _ in range(seconds):
            self._tick()
        self.gs = 0.0
        return self

    def take_off(
        self, heading: float = 0.0, rotate_kt: float = 150.0, climb_fpm: float = 2200.0, to_agl: float = 3000.0
    ) -> Flight:
        """Take-off roll accelerating 3 kt/s, lift-off at `rotate_kt`, climb to `to_agl`."""
        self.heading = heading
        while self.gs < rotate_kt:
            self.gs = min(rotate_kt, self.gs + 3.0)
            self._tick()
        self._lift_off()
        field_ = self.at_airport
        while self._agl(field_) < to_agl:
            self.alt += climb_fpm / 60.0
            self.gs = min(self.gs + 0.5, 200.0)
            self._tick()
        return self

    def _lift_off(self) -> None:
        self.on_ground = False
        self.truth.append(TruthEvent("departure", self.at_airport.icao, self.t))

    # -- in the air ------------------------------------------------------------------------------

    def climb_out(
        self, heading: float, distance_nm: float, agl: float, speed_kt: float = 160.0, climb_fpm: float = 1000.0
    ) -> Flight:
        """Fly `distance_nm` on a heading while climbing (or holding) towards `agl` ft above the last field."""
        self.heading = heading
        self.gs = speed_kt
        flown = 0.0
        target = self.at_airport.elevation_ft + agl
        while flown < distance_nm:
            if self.alt < target:
                self.alt = min(target, self.alt + climb_fpm / 60.0)
            flown += speed_kt / 3600.0
            self._tick()
        return self

    def fly_to(
        self,
        destination: str,
        cruise_ft: float = 33000.0,
        cruise_kt: float = 450.0,
        final_nm: float = 10.0,
        climb_fpm: float = 2200.0,
    ) -> Flight:
        """Climb to cruise, fly the great circle and descend on a 3 degree path until `final_nm` out."""
        target = airport(destination)
        while True:
            distance = haversine_nm(self.lat, self.lon, target.latitude, target.longitude)
            if distance <= final_nm:
                return self
            self.heading = initial_bearing_deg(self.lat, self.lon, target.latitude, target.longitude)
            on_path = target.elevation_ft + distance * GLIDE_FT_PER_NM
            wanted = min(cruise_ft, on_path)
            if wanted > self.alt:
                self.alt = min(wanted, self.alt + climb_fpm / 60.0)
            else:
                self.alt = max(wanted, self.alt - 3500.0 / 60.0)
            agl = self._agl(target)
            self.gs = cruise_kt if agl > 12000 else 250.0 if agl > 4000 else 190.0
            self._tick()

    def _approach(self, target: Airport, approach_kt: float, stop_agl: float | None) -> bool:
        """Glide to the field's reference point; True on touchdown, False when `stop_agl` is reached first."""
        self.gs = approach_kt
        while True:
            distance = haversine_nm(self.lat, self.lon, target.latitude, target.longitude)
            self.heading = initial_bearing_deg(self.lat, self.lon, target.latitude, target.longitude)
            step_nm = self.gs / 3600.0
            if distance <= step_nm:
                self.alt = target.elevation_ft
                self.on_ground = True
                self.at_airport = target
                self._tick()  # the second in which the wheels touch
                self.truth.append(TruthEvent("arrival", target.icao, self.t))
                return True
            self.alt = min(self.alt, target.elevation_ft + (distance - step_nm) * GLIDE_FT_PER_NM)
            if stop_agl is not None and self._agl(target) <= stop_agl:
                return False
            self._tick()

    def land(
        self, destination: str, approach_kt: float = 140.0, taxi_seconds: int = 180, park_seconds: int = 300
    ) -> Flight:
        """Final approach, touchdown, roll-out braking 3 kt/s, taxi in and park."""
        target = airport(destination)
        self._approach(target, approach_kt, stop_agl=None)
        while self.gs > 15.0:
            self.gs = max(15.0, self.gs - 3.0)
            self._tick()
        self.taxi(taxi_seconds, 15.0)
        return self.park(park_seconds)

    def touch_and_go(
        self,
        destination: str,
        approach_kt: float = 90.0,
        roll_seconds: int = 8,
        rotate_kt: float = 65.0,
        climb_fpm: float = 700.0,
    ) -> Flight:
        target = airport(destination)
        self._approach(target, approach_kt, stop_agl=None)
        for _ in range(roll_seconds):
            self.gs = max(self.gs - 1.0, 50.0)
            self._tick()
        while self.gs < rotate_kt:
            self.gs += 2.0
            self._tick()
        self._lift_off()
        while self._agl(target) < 1000:
            self.alt += climb_fpm / 60.0
            self._tick()
        return self

    def go_around(
        self, destination: str, decision_agl: float = 200.0, approach_kt: float = 140.0, climb_fpm: float = 1500.0
    ) -> Flight:
        """Approach down to `decision_agl`, then climb away to 2,000 ft without touching down."""
        target = airport(destination)
        touched = self._approach(target, approach_kt, stop_agl=decision_agl)
        assert not touched
        while self._agl(target) < 2000:
            self.alt += climb_fpm / 60.0
            self._tick()
        return self

    # -- helicopters ------------------------------------------------------------------------------

    def lift_vertically(self, to_agl: float = 1000.0, heading: float = 0.0, cruise_kt: float = 100.0) -> Flight:
        """Hover up at 500 ft/min with no groundspeed, then accelerate while climbing."""
        self.heading = heading
        self.gs = 0.0
        self._lift_off()
        field_ = self.at_airport
        while self._agl(field_) < to_agl:
            self.alt += 500.0 / 60.0
            if self._agl(field_) > 100:
                self.gs = min(cruise_kt, self.gs + 1.0)
            self._tick()
        return self

    def hover_taxi_to(self, destination: str, cruise_kt: float = 100.0) -> Flight:
        """Fly level to the destination, slow down, descend at 500 ft/min and set down at 0 kt."""
        target = airport(destination)
        while True:
            distance = haversine_nm(self.lat, self.lon, target.latitude, target.longitude)
            self.heading = initial_bearing_deg(self.lat, self.lon, target.latitude, target.longitude)
            if distance < 0.05:
                break
            self.gs = min(cruise_kt, max(5.0, distance * 120.0))  # slow down over the last mile
            self.gs = min(self.gs, distance * 3600.0)
            self._tick()
        self.gs = 0.0
        while self._agl(target) > 0:
            self.alt = max(target.elevation_ft, self.alt - 500.0 / 60.0)
            if self._agl(target) <= 0:
                self.on_ground = True
                self.at_airport = target
                self._tick()
                self.truth.append(TruthEvent("arrival", target.icao, self.t))
                break
            self._tick()
        return self

    # -- reading the result -------------------------------------------------------------------------

    def connection(
        self,
        cid: int = 1_000_001,
        callsign: str = "QFA1",
        *,
        filed: tuple[str | None, str | None] = (None, None),
        aircraft_type: str | None = "B738",
        since: datetime | None = None,
        until: datetime | None = None,
        logon_time: datetime | None = None,
    ) -> Connection:
        """The samples in [since, until) as one connection (logged on just before its first sample)."""
        points = tuple(
            p
            for p in self.samples
            if (since is None or p.observed_at >= since) and (until is None or p.observed_at < until)
        )
        if logon_time is None:
            logon_time = (points[0].observed_at if points else self.start) - timedelta(seconds=20)
        return Connection(cid, callsign, logon_time, aircraft_type, filed[0], filed[1], points)


def without(connection: Connection, since: datetime, until: datetime) -> Connection:
    """The connection with a data gap: no samples in [since, until)."""
    points = tuple(p for p in connection.points if not since <= p.observed_at < until)
    return Connection(
        connection.cid,
        connection.callsign,
        connection.logon_time,
        connection.aircraft_type,
        connection.filed_departure,
        connection.filed_arrival,
        points,
    )


def replace_altitude(connection: Connection, index: int, altitude_ft: int) -> Connection:
    """The connection with one sample's altitude replaced (a single bad reading)."""
    points = list(connection.points)
    p = points[index]
    points[index] = TrackPoint(p.observed_at, p.latitude, p.longitude, altitude_ft, p.groundspeed_kt)
    return Connection(
        connection.cid,
        connection.callsign,
        connection.logon_time,
        connection.aircraft_type,
        connection.filed_departure,
        connection.filed_arrival,
        tuple(points),
    )


def airline_flight(origin: str, destination: str, start: datetime, **options: object) -> Flight:
    """Gate, taxi out, take-off, cruise, approach, landing, taxi in, park: a whole airline flight."""
    flight = Flight(origin, start, **options)  # type: ignore[arg-type]
    first_leg = initial_bearing_deg(
        airport(origin).latitude,
        airport(origin).longitude,
        airport(destination).latitude,
        airport(destination).longitude,
    )
    flight.park(300).taxi(420, 15.0, heading=(first_leg + 180.0) % 360.0).park(60)
    flight.take_off(heading=first_leg).fly_to(destination).land(destination)
    return flight


def seconds_apart(a: datetime, b: datetime) -> float:
    return abs((a - b).total_seconds())


def nearly(value: float, expected: float, tolerance: float) -> bool:
    return math.isfinite(value) and abs(value - expected) <= tolerance
