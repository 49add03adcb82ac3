"""Completed flights, read from the same state-machine trace that gives the movements.

A flight runs from a take-off after the aircraft stood on the ground (at its gate, or after a
full-stop landing) to the next landing that ends on the ground: the roll-out slows to taxi speed,
or the track ends there. Touch-and-goes in between belong to the flight. A flight is completed on
the day of that final landing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.geo import add_track_length_nm, haversine_nm
from vatstats_assets.core.movement_rules import DEFAULT_RULES, MovementRules
from vatstats_assets.core.movements import (
    AircraftState,
    ChainTrace,
    Connection,
    Phase,
    Transition,
    check_window,
    stitch_reconnects,
    trace_chain,
)

ConnectionKey = tuple[int, str, datetime]  # (cid, callsign, logon_time), the key of `flights`


@dataclass(frozen=True, slots=True)
class CompletedFlight:
    cid: int
    callsign: str
    logon_time: datetime  # connection in which it landed
    aircraft_type: str | None
    flight_rules: str | None
    filed_departure: str | None
    filed_arrival: str | None
    departure: str | None  # detected; None if it connected airborne
    arrival: str
    off_block_at: datetime | None
    takeoff_at: datetime | None
    landing_at: datetime
    on_block_at: datetime | None
    airborne_minutes: float | None
    distance_nm: float  # along the track, take-off..landing (or first airborne sample..landing)
    max_altitude_ft: int
    diverted: bool  # filed_arrival set and != detected arrival


def completed_flights(
    connections: Iterable[Connection],
    airports: AirportIndex,
    *,
    window_start: datetime,
    window_end: datetime,
    rules: MovementRules = DEFAULT_RULES,
    flight_rules: Mapping[ConnectionKey, str | None] | None = None,
) -> list[CompletedFlight]:
    """Flights whose final landing is in [window_start, window_end), sorted by landing time.

    The departure side is only known if the tracks passed in reach back to the take-off (a flight
    longer than the loaded context looks as if it connected airborne), and the full stop that makes
    a landing final may come after window_end: load `rules.context_after` beyond the window.
    `flight_rules` maps a connection key to its filed rules ("I"/"V"), for the landing connection.
    """
    check_window(window_start, window_end)
    rules_by_connection = flight_rules or {}
    flights = []
    for chain in stitch_reconnects(connections, rules):
        trace = trace_chain(chain, airports, rules)
        for flight in _flights_of(trace, rules, rules_by_connection):
            if window_start <= flight.landing_at < window_end:
                flights.append(flight)
    flights.sort(key=lambda f: (f.landing_at, f.cid, f.callsign))
    return flights


def _flights_of(
    trace: ChainTrace, rules: MovementRules, rules_by_connection: Mapping[ConnectionKey, str | None]
) -> list[CompletedFlight]:
    transition_into = {transition.first_after: transition for transition in trace.transitions}
    flights = []
    takeoff: Transition | None = None
    origin: Phase | None = None  # the ground phase the open flight left from
    first_airborne = -1  # index of the open flight's first airborne sample; -1: no flight open
    previous: Phase | None = None
    for phase in trace.phases:
        if phase.state is AircraftState.AIRBORNE and first_airborne < 0:
            takeoff = transition_into.get(phase.first)
            origin = previous if previous is not None and previous.state is AircraftState.GROUND else None
            first_airborne = phase.first
        elif phase.state is AircraftState.GROUND and first_airborne >= 0:
            touchdown = transition_into.get(phase.first)
            is_last = phase is trace.phases[-1]
            if (
                touchdown is not None
                and touchdown.airport is not None
                and (is_last or _came_to_stop(trace, phase, rules))
            ):
                flights.append(
                    _completed_flight(
                        trace, rules, rules_by_connection, takeoff, origin, first_airborne, touchdown, phase
                    )
                )
                takeoff, origin, first_airborne = None, None, -1
            elif touchdown is not None and touchdown.airport is None:
                takeoff, origin, first_airborne = None, None, -1  # an off-field landing ends the flight uncounted
        previous = phase
    return flights


def _completed_flight(
    trace: ChainTrace,
    rules: MovementRules,
    rules_by_connection: Mapping[ConnectionKey, str | None],
    takeoff: Transition | None,
    origin: Phase | None,
    first_airborne: int,
    touchdown: Transition,
    destination: Phase,
) -> CompletedFlight:
    assert touchdown.airport is not None
    points = trace.points
    connection = touchdown.connection
    arrival = touchdown.airport.icao
    filed_arrival = connection.filed_arrival
    filed_code = (filed_arrival or "").strip().upper()
    departure = takeoff.airport.icao if takeoff is not None and takeoff.airport is not None else None
    last_airborne = touchdown.last_before
    airborne_minutes = (touchdown.at - takeoff.at).total_seconds() / 60.0 if takeoff is not None else None
    return CompletedFlight(
        cid=connection.cid,
        callsign=connection.callsign,
        logon_time=connection.logon_time,
        aircraft_type=connection.aircraft_type,
        flight_rules=rules_by_connection.get((connection.cid, connection.callsign, connection.logon_time)),
        filed_departure=connection.filed_departure,
        filed_arrival=filed_arrival,
        departure=departure,
        arrival=arrival,
        off_block_at=_off_block(trace, origin, rules) if takeoff is not None and origin is not None else None,
        takeoff_at=takeoff.at if takeoff is not None else None,
        landing_at=touchdown.at,
        on_block_at=_on_block(trace, destination, rules),
        airborne_minutes=airborne_minutes,
        distance_nm=_distance_flown(trace, takeoff, first_airborne, touchdown),
        max_altitude_ft=max(points.altitude_ft[first_airborne:last_airborne + 1]),
        diverted=filed_code != "" and filed_code != arrival,
    )


def _came_to_stop(trace: ChainTrace, phase: Phase, rules: MovementRules) -> bool:
    """A landing roll that slows to taxi speed is a full stop; a touch-and-go never does."""
    taxi_max = rules.taxi_max_gs_kt
    return any(gs <= taxi_max for gs in trace.points.groundspeed_kt[phase.first:phase.last + 1])


def _longest_stand(trace: ChainTrace, phase: Phase, rules: MovementRules) -> tuple[int, int] | None:
    """First and last index of the longest stretch standing still in a ground phase: the gate."""
    points = trace.points
    gs = points.groundspeed_kt
    stationary_max = rules.stationary_max_gs_kt
    best: tuple[int, int] | None = None
    best_seconds = -1.0
    k = phase.first
    while k <= phase.last:
        if gs[k] > stationary_max:
            k += 1
            continue
        start = k
        while k + 1 <= phase.last and gs[k + 1] <= stationary_max:
            k += 1
        seconds = points.seconds_between(start, k)
        if seconds > best_seconds:
            best, best_seconds = (start, k), seconds
        k += 1
    return best


def _off_block(trace: ChainTrace, origin: Phase, rules: MovementRules) -> datetime | None:
    """Leaving the gate: between the end of the longest stand before take-off and the next sample."""
    stand = _longest_stand(trace, origin, rules)
    if stand is None or stand[1] >= origin.last:
        return None  # never seen standing, or seen standing right until lift-off: unknown
    return _midpoint(trace.points.observed_at(stand[1]), trace.points.observed_at(stand[1] + 1))


def _on_block(trace: ChainTrace, destination: Phase, rules: MovementRules) -> datetime | None:
    """Reaching the gate: between the last moving sample and the start of the longest stand."""
    stand = _longest_stand(trace, destination, rules)
    if stand is None or stand[0] <= destination.first:
        return None
    return _midpoint(trace.points.observed_at(stand[0] - 1), trace.points.observed_at(stand[0]))


def _distance_flown(trace: ChainTrace, takeoff: Transition | None, first_airborne: int, touchdown: Transition) -> float:
    """Track length from lift-off (or the first airborne sample) to touchdown, in nm.

    The segments that contain lift-off and touchdown count only for their airborne share of time.
    """
    lat, lon = trace.points.latitude, trace.points.longitude
    total = 0.0
    start = first_airborne
    if takeoff is not None:
        total += _segment_nm(trace, takeoff.last_before) * _share(trace, takeoff.last_before, takeoff.at, after=True)
        start = takeoff.first_after
    total = add_track_length_nm(total, lat, lon, start, touchdown.last_before)
    total += _segment_nm(trace, touchdown.last_before) * _share(trace, touchdown.last_before, touchdown.at, after=False)
    return total


def _segment_nm(trace: ChainTrace, k: int) -> float:
    lat, lon = trace.points.latitude, trace.points.longitude
    return haversine_nm(lat[k], lon[k], lat[k + 1], lon[k + 1])


def _share(trace: ChainTrace, k: int, at: datetime, *, after: bool) -> float:
    """Fraction of segment k..k+1 flown after (or before) the moment `at` within it."""
    t0, t1 = trace.points.observed_at(k), trace.points.observed_at(k + 1)
    span = (t1 - t0).total_seconds()
    if span <= 0:
        return 0.0
    before_share = min(max((at - t0).total_seconds() / span, 0.0), 1.0)
    return 1.0 - before_share if after else before_share


def _midpoint(a: datetime, b: datetime) -> datetime:
    return a + (b - a) / 2
