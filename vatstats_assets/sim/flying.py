"""How each kind of aircraft moves: taxi, take-off roll, climb, cruise, descent, approach, landing.

`FlightShaper` turns a decision ("fly YSSY to YMML in a B738 at FL350", "five circuits at YSBK")
into a `Trajectory` plus the exact instants of every liftoff and touchdown. Thresholds carry
their reason; they are what a movement detector will later have to recover.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import pairwise

from vatstats_assets.sim.sphere import (
    EARTH_RADIUS_NM,
    angle_difference_deg,
    central_angle,
    destination,
    initial_bearing_deg,
    interpolate,
    to_lat_lon,
    to_vector,
)
from vatstats_assets.sim.trajectory import TrajectoryBuilder
from vatstats_assets.sim.world import SimAirport

# Above this altitude jets climb and descend at 250 kt (the usual speed limit below FL100).
_SPEED_LIMIT_ALTITUDE_FT = 10000


@dataclass(frozen=True, slots=True)
class Performance:
    taxi_kt: tuple[float, float]
    liftoff_kt: tuple[float, float]
    takeoff_roll_nm: float  # standing start to liftoff
    runway_half_nm: float  # airport reference point to runway threshold
    gate_radius_nm: tuple[float, float]
    initial_climb_nm: float
    initial_climb_ft: float  # height gained over the initial climb
    initial_climb_kt: float
    climb_ft_per_nm: float  # below 10,000 ft
    high_climb_ft_per_nm: float  # above 10,000 ft
    descent_ft_per_nm: float  # about a 3 degree path
    low_speed_kt: float  # speed at 10,000 ft
    entry_nm: float  # where the straight-in approach starts, from the threshold
    entry_ft: float  # height at the entry point
    entry_kt: float
    faf_nm: float
    faf_ft: float
    faf_kt: float
    threshold_kt: float
    touchdown_nm: float  # threshold to touchdown point
    touchdown_kt: float
    rollout_nm: float
    rollout_exit_kt: float


PERFORMANCE: dict[str, Performance] = {
    # Jets: airborne at 145-160 kt after ~45 s of roll; 3 degree final from 8 nm.
    "jet": Performance(
        taxi_kt=(12, 22), liftoff_kt=(145, 160), takeoff_roll_nm=0.9, runway_half_nm=0.9,
        gate_radius_nm=(0.25, 0.6), initial_climb_nm=2.0, initial_climb_ft=1500, initial_climb_kt=185,
        climb_ft_per_nm=330, high_climb_ft_per_nm=230, descent_ft_per_nm=300, low_speed_kt=250,
        entry_nm=15, entry_ft=4500, entry_kt=210, faf_nm=8, faf_ft=2500, faf_kt=170,
        threshold_kt=145, touchdown_nm=0.3, touchdown_kt=138, rollout_nm=0.9, rollout_exit_kt=20,
    ),
    "turboprop": Performance(
        taxi_kt=(10, 18), liftoff_kt=(105, 115), takeoff_roll_nm=0.6, runway_half_nm=0.6,
        gate_radius_nm=(0.2, 0.45), initial_climb_nm=1.5, initial_climb_ft=1000, initial_climb_kt=140,
        climb_ft_per_nm=380, high_climb_ft_per_nm=260, descent_ft_per_nm=300, low_speed_kt=220,
        entry_nm=12, entry_ft=3500, entry_kt=170, faf_nm=6, faf_ft=2000, faf_kt=140,
        threshold_kt=115, touchdown_nm=0.2, touchdown_kt=110, rollout_nm=0.5, rollout_exit_kt=15,
    ),
    # Light aircraft: 55-65 kt at liftoff, circuits at 1,000 ft above the field.
    "piston": Performance(
        taxi_kt=(10, 15), liftoff_kt=(55, 65), takeoff_roll_nm=0.25, runway_half_nm=0.3,
        gate_radius_nm=(0.1, 0.3), initial_climb_nm=1.0, initial_climb_ft=500, initial_climb_kt=75,
        climb_ft_per_nm=500, high_climb_ft_per_nm=400, descent_ft_per_nm=300, low_speed_kt=110,
        entry_nm=5, entry_ft=1500, entry_kt=90, faf_nm=2, faf_ft=650, faf_kt=75,
        threshold_kt=65, touchdown_nm=0.12, touchdown_kt=60, rollout_nm=0.2, rollout_exit_kt=12,
    ),
}


@dataclass(slots=True)
class FlightTimeline:
    """What happened when, relative to the connection (t = 0): the source of the ground truth."""

    departures: list[tuple[float, str]] = field(default_factory=list)  # (liftoff time, airport)
    arrivals: list[tuple[float, str]] = field(default_factory=list)  # (touchdown time, airport)
    gate_hold: tuple[float, float] | None = None  # parked before pushing back: a safe reconnect window
    cruise: tuple[float, float] | None = None  # level at cruise: a safe airborne reconnect window
    last_airport: str | None = None


def fit_cruise_altitude(
    distance_nm: float, start_ft: float, end_ft: float, wanted_ft: int, perf: Performance
) -> int:
    """The highest level at or below `wanted_ft` whose climb and descent fit in 90% of the distance."""
    floor_ft = int(max(start_ft, end_ft)) // 500 * 500 + 500
    altitude = wanted_ft
    while altitude > floor_ft:
        climb = (altitude - start_ft) / perf.climb_ft_per_nm
        descent = (altitude - end_ft) / perf.descent_ft_per_nm
        if climb + descent <= 0.9 * distance_nm:
            return altitude
        altitude -= 1000 if altitude > 5000 else 500
    return max(floor_ft, int(start_ft) + 500)


class _Polyline:
    """A route of great-circle legs with `point_at(distance)`."""

    def __init__(self, points: list[tuple[float, float]]) -> None:
        self.vectors = [to_vector(lat, lon) for lat, lon in points]
        self.angles = [central_angle(a, b) for a, b in pairwise(self.vectors)]
        self.cumulative = [0.0]
        for angle in self.angles:
            self.cumulative.append(self.cumulative[-1] + angle * EARTH_RADIUS_NM)

    @property
    def length_nm(self) -> float:
        return self.cumulative[-1]

    def point_at(self, distance: float) -> tuple[float, float]:
        for i, angle in enumerate(self.angles):
            leg_end = self.cumulative[i + 1]
            if distance <= leg_end or i == len(self.angles) - 1:
                leg = leg_end - self.cumulative[i]
                fraction = 0.0 if leg <= 0.0 else min(1.0, max(0.0, (distance - self.cumulative[i]) / leg))
                return to_lat_lon(interpolate(self.vectors[i], self.vectors[i + 1], angle, fraction))
        return to_lat_lon(self.vectors[-1])


def _interpolate_profile(profile: list[tuple[float, float, float]], s: float) -> tuple[float, float]:
    for (s0, alt0, v0), (s1, alt1, v1) in pairwise(profile):
        if s0 <= s <= s1:
            f = 0.0 if s1 == s0 else (s - s0) / (s1 - s0)
            return alt0 + (alt1 - alt0) * f, v0 + (v1 - v0) * f
    return profile[-1][1], profile[-1][2]


class FlightShaper:
    """Builds trajectories for one aircraft, appending phase after phase."""

    def __init__(self, rng: random.Random, perf: Performance, airport: SimAirport) -> None:
        self.rng = rng
        self.perf = perf
        self.airport = airport
        self.timeline = FlightTimeline(last_airport=airport.icao)
        lat, lon = self._gate(airport)
        self.builder = TrajectoryBuilder(0.0, lat, lon, float(airport.elevation_ft), rng.uniform(0, 360))
        self.taxi_kt = rng.uniform(*perf.taxi_kt)

    # ----- positions around an airport -------------------------------------------------------
    def _gate(self, airport: SimAirport) -> tuple[float, float]:
        return destination(
            airport.latitude, airport.longitude, self.rng.uniform(0, 360), self.rng.uniform(*self.perf.gate_radius_nm)
        )

    def _threshold(self, airport: SimAirport, heading: float) -> tuple[float, float]:
        return destination(airport.latitude, airport.longitude, heading + 180.0, self.perf.runway_half_nm)

    @staticmethod
    def runway_direction(airport: SimAirport, wanted_course: float) -> float:
        """Of the two runway directions, the one closest to the course the aircraft wants."""
        a = airport.runway_heading % 360.0
        b = (a + 180.0) % 360.0
        return a if angle_difference_deg(a, wanted_course) <= angle_difference_deg(b, wanted_course) else b

    # ----- ground phases ----------------------------------------------------------------------
    def park(self, seconds: float) -> None:
        self.builder.hold(seconds)

    def _taxi_to(self, lat: float, lon: float) -> None:
        """Accelerate from a standstill, taxi, and stop at (lat, lon)."""
        b = self.builder
        elevation = float(b.altitude_ft)
        bearing = initial_bearing_deg(b.latitude, b.longitude, lat, lon)
        total = central_angle(to_vector(b.latitude, b.longitude), to_vector(lat, lon)) * EARTH_RADIUS_NM
        if total < 0.02:
            return
        ramp = min(0.04, total / 3)
        b.move_along(bearing, ramp, speed_kt=self.taxi_kt, altitude_ft=elevation, on_ground=True)
        rest = central_angle(to_vector(b.latitude, b.longitude), to_vector(lat, lon)) * EARTH_RADIUS_NM
        if rest > ramp:
            stop_lat, stop_lon = destination(lat, lon, initial_bearing_deg(lat, lon, b.latitude, b.longitude), ramp)
            b.move_to(stop_lat, stop_lon, speed_kt=self.taxi_kt, altitude_ft=elevation, on_ground=True)
        b.move_to(lat, lon, speed_kt=0.0, altitude_ft=elevation, on_ground=True)

    def taxi_out_and_line_up(self, runway_heading: float) -> None:
        airport = self.airport
        threshold = self._threshold(airport, runway_heading)
        side = self.rng.choice((-90.0, 90.0))
        holding_point = destination(*threshold, runway_heading + side, 0.08)
        # One intermediate point somewhere on the field makes taxi times realistic (3-10 minutes).
        via = destination(airport.latitude, airport.longitude, self.rng.uniform(0, 360), self.rng.uniform(0.3, 1.0))
        self._taxi_to(*via)
        self.builder.hold(self.rng.uniform(5, 40))
        self._taxi_to(*holding_point)
        self.builder.hold(self.rng.uniform(10, 150))  # holding short for traffic
        self._taxi_to(*threshold)
        self.builder.heading_deg = runway_heading
        self.builder.hold(self.rng.uniform(10, 45))  # lined up, waiting for take-off clearance

    def taxi_in_and_park(self, airport: SimAirport) -> None:
        via = destination(airport.latitude, airport.longitude, self.rng.uniform(0, 360), self.rng.uniform(0.2, 0.8))
        self._taxi_to(*via)
        self._taxi_to(*self._gate(airport))

    # ----- runway phases ----------------------------------------------------------------------
    def take_off(self, runway_heading: float, *, rolling_start_kt: float = 0.0) -> None:
        """Roll from the current point (standing or a touch-and-go roll) to liftoff; records the departure."""
        b = self.builder
        b.speed_kt = rolling_start_kt
        liftoff_kt = self.rng.uniform(*self.perf.liftoff_kt)
        roll = self.perf.takeoff_roll_nm * (1.0 - (rolling_start_kt / liftoff_kt) ** 2)
        b.move_along(runway_heading, max(0.05, roll), speed_kt=liftoff_kt, altitude_ft=b.altitude_ft, on_ground=True)
        self.timeline.departures.append((b.t, self.timeline.last_airport or self.airport.icao))
        self.timeline.last_airport = None

    def land(self, airport: SimAirport, final_course: float, *, full_stop: bool = True) -> None:
        """From the threshold crossing (50 ft) to touchdown; then roll out, or keep rolling for a touch-and-go."""
        b = self.builder
        perf = self.perf
        elevation = float(airport.elevation_ft)
        threshold = self._threshold(airport, final_course)
        b.move_to(*threshold, speed_kt=perf.threshold_kt, altitude_ft=elevation + 50, on_ground=False)
        b.move_along(final_course, perf.touchdown_nm, speed_kt=perf.touchdown_kt, altitude_ft=elevation,
                     on_ground=False)
        self.timeline.arrivals.append((b.t, airport.icao))
        self.timeline.last_airport = airport.icao
        if full_stop:
            b.move_along(final_course, perf.rollout_nm, speed_kt=perf.rollout_exit_kt, altitude_ft=elevation,
                         on_ground=True)
        else:
            # Touch-and-go: 15-20 s of decelerating roll so a 15 s feed sees the wheels on the ground.
            b.move_along(final_course, 0.25, speed_kt=perf.touchdown_kt * 0.8, altitude_ft=elevation, on_ground=True)

    # ----- airborne phases --------------------------------------------------------------------
    def initial_climb(self, runway_heading: float) -> None:
        b = self.builder
        perf = self.perf
        b.move_along(runway_heading, perf.initial_climb_nm, speed_kt=perf.initial_climb_kt,
                     altitude_ft=b.altitude_ft + perf.initial_climb_ft, on_ground=False)

    def fly_enroute(
        self,
        via: list[tuple[float, float]],
        end: tuple[float, float],
        *,
        cruise_ft: int,
        cruise_kt: float,
        end_ft: float,
        end_kt: float,
    ) -> None:
        """Climb, cruise and descend along great circles from here through `via` to `end`."""
        b = self.builder
        perf = self.perf
        route = _Polyline([(b.latitude, b.longitude), *via, end])
        total = route.length_nm
        start_ft, start_kt = b.altitude_ft, b.speed_kt
        profile: list[tuple[float, float, float]] = [(0.0, start_ft, start_kt)]
        s = 0.0
        limit = _SPEED_LIMIT_ALTITUDE_FT
        if perf is not PERFORMANCE["piston"] and cruise_ft > limit > start_ft:
            s = (limit - start_ft) / perf.climb_ft_per_nm
            profile.append((s, limit, perf.low_speed_kt))
            top_of_climb = s + (cruise_ft - limit) / perf.high_climb_ft_per_nm
        else:
            top_of_climb = max(0.0, (cruise_ft - start_ft) / perf.climb_ft_per_nm)
        descent_tail: list[tuple[float, float, float]] = []
        if perf is not PERFORMANCE["piston"] and cruise_ft > limit > end_ft:
            d = (limit - end_ft) / perf.descent_ft_per_nm
            descent_tail.append((total - d, limit, perf.low_speed_kt + 20))
            top_of_descent = total - d - (cruise_ft - limit) / perf.descent_ft_per_nm
        else:
            top_of_descent = total - max(0.0, (cruise_ft - end_ft) / perf.descent_ft_per_nm)
        if top_of_descent < top_of_climb:  # short hop: meet in the middle rather than overshoot
            top_of_climb = top_of_descent = (top_of_climb + top_of_descent) / 2
        profile.append((top_of_climb, cruise_ft, cruise_kt))
        profile.append((top_of_descent, cruise_ft, cruise_kt))
        profile.extend(descent_tail)
        profile.append((total, end_ft, end_kt))
        profile = [p for p in profile if 0.0 <= p[0] <= total]
        profile.sort(key=lambda p: p[0])
        distances = sorted({p[0] for p in profile} | set(route.cumulative))
        previous = 0.0
        cruise_start = cruise_end = None
        for distance in distances:
            if distance - previous < 0.01:
                continue
            altitude, speed = _interpolate_profile(profile, distance)
            lat, lon = route.point_at(distance)
            b.move_to(lat, lon, speed_kt=speed, altitude_ft=altitude, on_ground=False)
            if abs(distance - top_of_climb) < 1e-6:
                cruise_start = b.t
            if abs(distance - top_of_descent) < 1e-6:
                cruise_end = b.t
            previous = distance
        if cruise_start is not None and cruise_end is not None and cruise_end > cruise_start:
            self.timeline.cruise = (cruise_start, cruise_end)

    def approach_points(self, airport: SimAirport, final_course: float) -> list[tuple[float, float, float, float]]:
        """(lat, lon, altitude, speed) of the entry point and final approach fix on the extended centreline."""
        perf = self.perf
        elevation = float(airport.elevation_ft)
        threshold = self._threshold(airport, final_course)
        back = final_course + 180.0
        entry = destination(*threshold, back, perf.entry_nm)
        faf = destination(*threshold, back, perf.faf_nm)
        return [
            (*entry, elevation + perf.entry_ft, perf.entry_kt),
            (*faf, elevation + perf.faf_ft, perf.faf_kt),
        ]

    def fly_points(self, points: list[tuple[float, float, float, float]]) -> None:
        for lat, lon, altitude, speed in points:
            self.builder.move_to(lat, lon, speed_kt=speed, altitude_ft=altitude, on_ground=False)

    def go_around(self, airport: SimAirport, final_course: float) -> None:
        """Descend to 150-300 ft above the field, climb away, fly a wide circuit, and rejoin at the entry point.

        The lowest point stays well above the runway at approach speed: a detector must not see a landing.
        """
        perf = self.perf
        elevation = float(airport.elevation_ft)
        threshold = self._threshold(airport, final_course)
        side = self.rng.choice((-90.0, 90.0))
        decision = destination(*threshold, final_course + 180.0, self.rng.uniform(0.3, 0.6))
        missed = destination(*threshold, final_course, perf.entry_nm * 0.25)
        crosswind = destination(*missed, final_course + side, perf.entry_nm * 0.3)
        entry, _faf = self.approach_points(airport, final_course)[:2]
        downwind_end = destination(entry[0], entry[1], final_course + side, perf.entry_nm * 0.3)
        climb_ft = elevation + perf.entry_ft * 0.7
        self.fly_points([
            (*decision, elevation + self.rng.uniform(150, 300), perf.threshold_kt),
            (*missed, elevation + perf.entry_ft * 0.45, perf.faf_kt),
            (*crosswind, climb_ft, perf.entry_kt),
            (*downwind_end, climb_ft, perf.entry_kt),
        ])
        self.fly_points(self.approach_points(airport, final_course))

    def circuit(self, runway_heading: float, side: float) -> None:
        """One closed circuit at 1,000 ft above the field back to the threshold (the landing is separate)."""
        airport = self.airport
        elevation = float(airport.elevation_ft)
        threshold = self._threshold(airport, runway_heading)
        upwind = destination(*threshold, runway_heading, 1.3)
        crosswind = destination(*upwind, runway_heading + side, 0.9)
        downwind = destination(*crosswind, runway_heading + 180.0, 3.3)
        base = destination(*threshold, runway_heading + 180.0, 1.0)
        self.fly_points([
            (*upwind, elevation + 500, 75),
            (*crosswind, elevation + 1000, 85),
            (*downwind, elevation + 1000, 90),
            (*base, elevation + 350, 70),
        ])


def great_circle_course(a: SimAirport, b: SimAirport) -> float:
    return initial_bearing_deg(a.latitude, a.longitude, b.latitude, b.longitude)


def airport_distance_nm(a: SimAirport, b: SimAirport) -> float:
    return central_angle(to_vector(a.latitude, a.longitude), to_vector(b.latitude, b.longitude)) * EARTH_RADIUS_NM


