"""Deciding what one pilot session does: parked, VFR circuits, a short hop, or a scheduled flight.

Everything here is in session-relative seconds (t = 0 at logon) and has no identity yet (no
cid, callsign or clock time); `traffic.PilotSlot` gives a plan those when it places it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from vatstats_assets.sim.flying import (
    PERFORMANCE,
    FlightShaper,
    FlightTimeline,
    airport_distance_nm,
    fit_cruise_altitude,
    great_circle_course,
)
from vatstats_assets.sim.sphere import destination
from vatstats_assets.sim.trajectory import Trajectory
from vatstats_assets.sim.world import (
    AIRLINE_LONG_HAUL,
    AIRLINE_SHORT_HAUL,
    LIGHT_AIRCRAFT,
    REGIONAL_TURBOPROPS,
    AircraftType,
    SimAirport,
    World,
    diversion_airports,
)

# Shares of the traffic mix (the brief's targets; the rest is scheduled IFR traffic).
PARKED_SHARE = 0.05  # connect at a gate and never move
CIRCUITS_SHARE = 0.05  # VFR circuits with touch-and-goes at one field
GA_HOP_SHARE = 0.03  # short VFR flight between two nearby fields
GO_AROUND_SHARE = 0.035  # of airline flights: ~3% of all sessions
DIVERSION_SHARE = 0.023  # of airline flights: ~2% of all sessions
AIRBORNE_DISCONNECT_SHARE = 0.01  # the pilot quits mid-flight: a departure with no arrival
RECONNECT_SHARE = 0.03  # drop off the network for 1-3 minutes and come back with a new logon_time
NO_FLIGHT_PLAN_SHARE = {"parked": 0.35, "circuits": 0.5, "hop": 0.4, "airline": 0.09}  # ~10% overall
PREFILE_SHARE = 0.7  # flight plans filed before connecting (they show in `prefiles` until logon)

MIN_AIRLINE_DISTANCE_NM = 100.0
MAX_AIRLINE_DISTANCE_NM = 8000.0


@dataclass(slots=True)
class PlannedFlight:
    """A session decided in relative time, before it has a pilot identity or a place on the clock."""

    kind: str  # "airline", "circuits", "hop", "parked"
    trajectory: Trajectory
    timeline: FlightTimeline
    end: float  # relative disconnect time
    gaps: list[tuple[float, float]]  # relative (from, to) offline spans of a reconnect
    aircraft: AircraftType
    rules: str
    origin: SimAirport
    filed_arrival: str | None  # None without a flight plan
    operator: str | None  # airline ICAO code, or None for a private registration callsign
    off_block: float
    plan_details: dict[str, object] | None  # make_flight_plan arguments, except time and identity
    flight_plan_seed: int
    prefile_lead: float | None  # how long before logon the flight plan shows in `prefiles`
    completed: bool  # the session ends parked after a final landing


@lru_cache(maxsize=512)
def _airline_destinations(world: World, origin: str) -> tuple[tuple[SimAirport, ...], tuple[float, ...]]:
    source = world.airport(origin)
    assert source is not None
    candidates, weights = [], []
    for airport in world.airline_airports:
        if airport.icao == origin:
            continue
        distance = airport_distance_nm(source, airport)
        if not MIN_AIRLINE_DISTANCE_NM <= distance <= MAX_AIRLINE_DISTANCE_NM:
            continue
        # Most traffic stays within its area, and VATPAC mostly within VATPAC.
        if airport.area == source.area:
            affinity = 8.0
        elif airport.in_vatpac == source.in_vatpac:
            affinity = 2.0
        else:
            affinity = 0.7
        candidates.append(airport)
        weights.append(airport.weight * affinity)
    return tuple(candidates), tuple(weights)


@lru_cache(maxsize=512)
def _nearby_fields(world: World, origin: str) -> tuple[SimAirport, ...]:
    source = world.airport(origin)
    assert source is not None
    return tuple(
        a for a in world.ga_airports + world.airline_airports
        if a.icao != origin and 15.0 <= airport_distance_nm(source, a) <= 200.0
    )


def _aircraft_for(rng: random.Random, distance_nm: float, area: str) -> AircraftType:
    if distance_nm < 350 and area in ("AU", "NZ", "PAC", "EU") and rng.random() < 0.5:
        return rng.choice(REGIONAL_TURBOPROPS)
    pool = AIRLINE_SHORT_HAUL if distance_nm <= 3000 else AIRLINE_LONG_HAUL
    fitting = [t for t in pool if t.max_range_nm >= distance_nm] or list(AIRLINE_LONG_HAUL)
    return rng.choice(fitting)


def _wanted_cruise_ft(rng: random.Random, aircraft: AircraftType, distance_nm: float) -> int:
    if aircraft.performance == "piston":
        return rng.choice((3500, 4500, 5500, 6500, 7500, 8500))
    if aircraft.performance == "turboprop":
        return rng.randrange(16000, 26000, 1000)
    if distance_nm < 300:
        return rng.randrange(22000, 31000, 1000)
    if distance_nm < 800:
        return rng.randrange(30000, 38000, 1000)
    return rng.randrange(33000, 42000, 1000)


# ----- planning -----------------------------------------------------------------------------------


class PilotPlanner:
    """Decides one session of traffic, from connecting at a gate to disconnecting."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._airline_weights = [a.weight for a in world.airline_airports]
        self._ga_weights = [a.weight for a in world.ga_airports]

    def plan(
        self, rng: random.Random, *, origin: SimAirport | None = None, max_prefile_lead: float = 0.0
    ) -> PlannedFlight:
        """Draw a session; `origin` continues a pilot's day from where the last leg ended."""
        roll = rng.random()
        if origin is None and roll < PARKED_SHARE:
            plan = self.parked(rng, self._pick_airline_origin(rng))
        elif origin is None and roll < PARKED_SHARE + CIRCUITS_SHARE:
            plan = self.circuits(rng, self._pick_ga_field(rng))
        elif origin is None and roll < PARKED_SHARE + CIRCUITS_SHARE + GA_HOP_SHARE:
            plan = self.ga_hop(rng, self._pick_ga_field(rng))
        else:
            plan = self.airline(rng, origin or self._pick_airline_origin(rng))
        if rng.random() < RECONNECT_SHARE:
            self.add_reconnect(rng, plan)
        if plan.plan_details is not None and max_prefile_lead >= 180 and rng.random() < PREFILE_SHARE:
            plan.prefile_lead = rng.uniform(120, max_prefile_lead)
        return plan

    def _pick_airline_origin(self, rng: random.Random) -> SimAirport:
        return rng.choices(self.world.airline_airports, self._airline_weights)[0]

    def _pick_ga_field(self, rng: random.Random) -> SimAirport:
        return rng.choices(self.world.ga_airports, self._ga_weights)[0]

    def _details(
        self,
        rng: random.Random,
        *,
        kind: str,
        rules: str,
        aircraft: AircraftType,
        origin: SimAirport,
        arrival: SimAirport,
        cruise_ft: int,
        cruise_kt: int,
        enroute_s: float,
    ) -> dict[str, object] | None:
        if rng.random() < NO_FLIGHT_PLAN_SHARE[kind]:
            return None
        alternates = diversion_airports(arrival.icao) if kind == "airline" else ()
        alternate = alternates[0].icao if alternates and rng.random() < 0.85 else ""
        return {
            "rules": rules,
            "aircraft": aircraft,
            "departure": origin.icao,
            "arrival": arrival.icao,
            "alternate": alternate,
            "cruise_tas_kt": cruise_kt,
            "altitude_ft": cruise_ft,
            "enroute_s": enroute_s,
            "distance_nm": airport_distance_nm(origin, arrival),
        }

    def parked(self, rng: random.Random, airport: SimAirport) -> PlannedFlight:
        """Connect at a gate and never move, then disconnect (20 minutes to 5 hours later)."""
        shaper = FlightShaper(rng, PERFORMANCE["jet"], airport)
        duration = rng.uniform(20 * 60, 5 * 3600)
        shaper.park(duration)
        destinations, weights = _airline_destinations(self.world, airport.icao)
        arrival = rng.choices(destinations, weights)[0]
        distance = airport_distance_nm(airport, arrival)
        aircraft = _aircraft_for(rng, distance, airport.area)
        cruise_ft = _wanted_cruise_ft(rng, aircraft, distance)
        cruise_kt = rng.randint(*aircraft.cruise_tas)
        details = self._details(rng, kind="parked", rules="I", aircraft=aircraft, origin=airport, arrival=arrival,
                                cruise_ft=cruise_ft, cruise_kt=cruise_kt, enroute_s=distance / cruise_kt * 3600 + 1200)
        shaper.timeline.gate_hold = (0.0, duration)
        return self._finish(rng, "parked", shaper, aircraft, "I", airport, arrival.icao, details,
                            off_block=duration, completed=False)

    def circuits(self, rng: random.Random, field: SimAirport) -> PlannedFlight:
        """3-7 VFR circuits with touch-and-goes, then a full-stop landing, in a light aircraft."""
        aircraft = rng.choice(LIGHT_AIRCRAFT)
        shaper = FlightShaper(rng, PERFORMANCE["piston"], field)
        gate_hold = rng.uniform(3 * 60, 15 * 60)
        shaper.park(gate_hold)
        shaper.timeline.gate_hold = (0.0, gate_hold)
        runway = FlightShaper.runway_direction(field, rng.uniform(0, 360))
        shaper.taxi_out_and_line_up(runway)
        off_block = gate_hold
        side = rng.choice((-90.0, 90.0))
        circuits = rng.randint(3, 7)
        shaper.take_off(runway)
        for number in range(circuits):
            shaper.circuit(runway, side)
            final = number == circuits - 1
            shaper.land(field, runway, full_stop=final)
            if not final:
                shaper.take_off(runway, rolling_start_kt=shaper.builder.speed_kt)
        airborne_s = shaper.timeline.arrivals[-1][0] - shaper.timeline.departures[0][0]
        shaper.taxi_in_and_park(field)
        shaper.park(rng.uniform(60, 600))
        details = self._details(rng, kind="circuits", rules="V", aircraft=aircraft, origin=field, arrival=field,
                                cruise_ft=field.elevation_ft // 500 * 500 + 1000, cruise_kt=90, enroute_s=airborne_s)
        return self._finish(rng, "circuits", shaper, aircraft, "V", field, field.icao, details,
                            off_block=off_block, completed=True)

    def ga_hop(self, rng: random.Random, field: SimAirport) -> PlannedFlight:
        """A short VFR flight to a field 15-200 nm away."""
        nearby = _nearby_fields(self.world, field.icao)
        if not nearby:
            return self.circuits(rng, field)
        arrival = rng.choice(nearby)
        aircraft = rng.choice(LIGHT_AIRCRAFT)
        return self._fly(rng, "hop", "V", aircraft, field, arrival, arrival)

    def airline(
        self,
        rng: random.Random,
        origin: SimAirport,
        *,
        go_around: bool | None = None,
        divert: bool | None = None,
        quit_airborne: bool | None = None,
    ) -> PlannedFlight:
        """A scheduled IFR flight from `origin`; go-around, diversion and quitting mid-flight are drawn
        at their shares unless forced (tests force them)."""
        destinations, weights = _airline_destinations(self.world, origin.icao)
        filed = rng.choices(destinations, weights)[0]
        aircraft = _aircraft_for(rng, airport_distance_nm(origin, filed), origin.area)
        actual = filed
        if (rng.random() < DIVERSION_SHARE) if divert is None else divert:
            alternates = diversion_airports(filed.icao)
            if alternates:
                actual = rng.choice(alternates[:3])
        go_around = (rng.random() < GO_AROUND_SHARE) if go_around is None else go_around
        quit_airborne = (rng.random() < AIRBORNE_DISCONNECT_SHARE) if quit_airborne is None else quit_airborne
        return self._fly(rng, "airline", "I", aircraft, origin, filed, actual,
                         go_around=go_around, quit_airborne=quit_airborne)

    def _fly(
        self,
        rng: random.Random,
        kind: str,
        rules: str,
        aircraft: AircraftType,
        origin: SimAirport,
        filed: SimAirport,
        actual: SimAirport,
        *,
        go_around: bool = False,
        quit_airborne: bool = False,
    ) -> PlannedFlight:
        perf = PERFORMANCE[aircraft.performance]
        shaper = FlightShaper(rng, perf, origin)
        gate_hold = rng.uniform(4 * 60, 25 * 60)
        shaper.park(gate_hold)
        shaper.timeline.gate_hold = (0.0, gate_hold)
        runway = FlightShaper.runway_direction(origin, great_circle_course(origin, filed))
        shaper.taxi_out_and_line_up(runway)
        shaper.take_off(runway)
        shaper.initial_climb(runway)

        via: list[tuple[float, float]] = []
        inbound_from = origin
        if actual is not filed:
            # Head for the filed destination, give up 30 nm short and turn for the diversion airport.
            back = great_circle_course(filed, origin)
            via.append(destination(filed.latitude, filed.longitude, back, 30.0))
            inbound_from = filed
        final_course = FlightShaper.runway_direction(actual, great_circle_course(inbound_from, actual))
        entry, faf = shaper.approach_points(actual, final_course)
        distance = airport_distance_nm(origin, filed) + (airport_distance_nm(filed, actual) if via else 0.0)
        cruise_kt = rng.randint(*aircraft.cruise_tas)
        cruise_ft = fit_cruise_altitude(
            distance - perf.entry_nm - perf.initial_climb_nm,
            shaper.builder.altitude_ft,
            entry[2],
            _wanted_cruise_ft(rng, aircraft, distance),
            perf,
        )
        shaper.fly_enroute(via, (entry[0], entry[1]), cruise_ft=cruise_ft, cruise_kt=cruise_kt,
                           end_ft=min(entry[2], cruise_ft), end_kt=entry[3])
        shaper.fly_points([faf])
        if go_around:
            shaper.go_around(actual, final_course)
        shaper.land(actual, final_course)
        shaper.taxi_in_and_park(actual)
        shaper.park(rng.uniform(60, 900))
        timeline = shaper.timeline
        enroute_s = timeline.arrivals[-1][0] - timeline.departures[0][0]
        details = self._details(rng, kind=kind, rules=rules, aircraft=aircraft, origin=origin, arrival=filed,
                                cruise_ft=cruise_ft, cruise_kt=cruise_kt, enroute_s=enroute_s)
        plan = self._finish(rng, kind, shaper, aircraft, rules, origin, filed.icao, details,
                            off_block=gate_hold, completed=True)
        if quit_airborne and timeline.cruise is not None:
            cruise_from, cruise_to = timeline.cruise
            plan.end = rng.uniform(cruise_from, cruise_to)
            plan.completed = False
            timeline.cruise = None  # no reconnect inside a flight that is abandoned
        return plan

    @staticmethod
    def _finish(
        rng: random.Random,
        kind: str,
        shaper: FlightShaper,
        aircraft: AircraftType,
        rules: str,
        origin: SimAirport,
        filed_arrival: str,
        details: dict[str, object] | None,
        *,
        off_block: float,
        completed: bool,
    ) -> PlannedFlight:
        trajectory = shaper.builder.build()
        return PlannedFlight(
            kind=kind,
            trajectory=trajectory,
            timeline=shaper.timeline,
            end=trajectory.end,
            gaps=[],
            aircraft=aircraft,
            rules=rules,
            origin=origin,
            filed_arrival=filed_arrival,
            operator=None,
            off_block=off_block,
            plan_details=details,
            flight_plan_seed=rng.getrandbits(64),
            prefile_lead=None,
            completed=completed,
        )

    @staticmethod
    def add_reconnect(rng: random.Random, plan: PlannedFlight) -> bool:
        """Drop the connection for 1-3 minutes, parked at the gate or in cruise (never across a movement).

        Returns False when the session has no window long enough.
        """
        gap = rng.uniform(60, 180)
        windows = [w for w in (plan.timeline.cruise, plan.timeline.gate_hold) if w and w[1] - w[0] > gap + 240]
        windows = [w for w in windows if w[1] < plan.end]
        if not windows:
            return False
        start, end = windows[0] if len(windows) == 1 or rng.random() < 0.6 else windows[1]
        gap_from = rng.uniform(start + 120, end - gap - 120)
        plan.gaps.append((gap_from, gap_from + gap))
        return True
