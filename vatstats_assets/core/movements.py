"""Departures and arrivals detected from the track history of pilot connections.

A pilot's track is a list of 15 s samples (position, altitude MSL, groundspeed). Connections of one
pilot that continue each other after a dropped connection are first stitched into a chain; a state
machine then walks each chain once:

    UNKNOWN --(on the ground at an airport)--> GROUND --(take-off)--> AIRBORNE --(touchdown)--> GROUND ...
    UNKNOWN --(clearly flying)---------------> AIRBORNE

Only GROUND -> AIRBORNE (a departure) and AIRBORNE -> GROUND (an arrival) are movements; leaving
UNKNOWN is not, because nothing was seen of the aircraft before. "On the ground" and "airborne" are
separated by a band of height (see `movement_rules`) so noise around one threshold cannot flap.
A touch-and-go is a touchdown followed by a take-off: an arrival and a departure. A go-around that
stays above the ground band never touches down, so it is neither.

The walk is the hot loop of a day partition (millions of samples), so it looks airports up only
when an aircraft could be at one: never while it is above every airport of its area, and it reads
each chain's samples as plain lists of numbers (`core/track_columns.py`), not one object each.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from vatstats_assets.core.airports import Airport, AirportIndex
from vatstats_assets.core.geo import haversine_nm
from vatstats_assets.core.movement_rules import DEFAULT_RULES, MovementRules
from vatstats_assets.core.track_columns import TrackColumns, TrackLists, TrackPoint

MovementType = Literal["departure", "arrival"]
TransitionKind = Literal["takeoff", "touchdown"]

# Airports within the attribution radius plus this margin are fetched from the index at once and
# reused until the aircraft has moved this far: a look-up every ~10 nm instead of every sample.
_LOOKUP_MARGIN_NM = 10.0

# Lift-off and touchdown are timed by extending the climb or descent seen in the neighbouring
# samples down to the ground; samples farther apart than this say nothing about that slope.
_SLOPE_MAX_SPAN_S = 60.0


@dataclass(frozen=True, slots=True)
class Connection:
    """One pilot connection, i.e. one row of `flights`, keyed by (cid, callsign, logon_time)."""

    cid: int
    callsign: str
    logon_time: datetime
    aircraft_type: str | None
    filed_departure: str | None
    filed_arrival: str | None
    points: Sequence[TrackPoint]  # ordered by observed_at: a tuple, or TrackColumns from the warehouse


@dataclass(frozen=True, slots=True)
class Movement:
    airport: str
    movement_type: MovementType
    at: datetime
    cid: int
    callsign: str
    logon_time: datetime  # of the connection in which it happened
    aircraft_type: str | None
    filed_departure: str | None
    filed_arrival: str | None
    matches_flight_plan: bool  # departure at filed_departure / arrival at filed_arrival


class AircraftState(enum.Enum):
    UNKNOWN = "unknown"
    GROUND = "ground"
    AIRBORNE = "airborne"


@dataclass(frozen=True, slots=True)
class Transition:
    """A take-off or touchdown found in a chain; `airport` is None away from every airport."""

    kind: TransitionKind
    at: datetime
    last_before: int  # index in ChainTrace.points of the last sample in the old state
    first_after: int  # index of the first sample in the new state
    airport: Airport | None
    connection: Connection  # the connection in effect at `at`


@dataclass(frozen=True, slots=True)
class Phase:
    """A stretch of samples, points[first..last] inclusive, spent in one state."""

    state: AircraftState
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class ChainTrace:
    """The state machine's reading of one chain of connections: shared by movements and flights."""

    connections: tuple[Connection, ...]
    points: TrackLists
    phases: tuple[Phase, ...]
    transitions: tuple[Transition, ...]  # transitions[k] leads into phases[j] with phases[j].first == first_after


def stitch_reconnects(
    connections: Iterable[Connection], rules: MovementRules = DEFAULT_RULES
) -> list[list[Connection]]:
    """Group each pilot's connections into chains of one continuous presence on the network.

    A connection joins the previous one of the same (cid, callsign) when it logs on within
    `rules.reconnect_max_gap` of the previous connection's last position and starts where the
    aircraft could have got to in the gap at its last groundspeed. Every connection ends up in
    exactly one chain; chains are ordered by pilot, then time.
    """
    by_pilot: dict[tuple[int, str], list[Connection]] = {}
    for connection in connections:
        by_pilot.setdefault((connection.cid, connection.callsign), []).append(connection)

    chains: list[list[Connection]] = []
    for pilot in sorted(by_pilot):
        ordered = sorted(by_pilot[pilot], key=_connection_order)
        chain = [ordered[0]]
        last_point = ordered[0].points[-1] if ordered[0].points else None
        for connection in ordered[1:]:
            if last_point is not None and connection.points and _continues(last_point, connection, rules):
                chain.append(connection)
            else:
                chains.append(chain)
                chain = [connection]
            if connection.points:
                last_point = connection.points[-1]
        chains.append(chain)
    return chains


def trace_chain(
    chain: Sequence[Connection], airports: AirportIndex, rules: MovementRules = DEFAULT_RULES
) -> ChainTrace:
    """Run the ground/airborne state machine over the chain's samples, in time order."""
    connections = tuple(chain)
    points, starts = _chain_points(connections)
    return _Tracer(connections, points, starts, airports, rules).run()


def detect_movements(
    connections: Iterable[Connection],
    airports: AirportIndex,
    *,
    window_start: datetime,
    window_end: datetime,
    rules: MovementRules = DEFAULT_RULES,
) -> list[Movement]:
    """Departures and arrivals with window_start <= at < window_end, at airports only.

    Pass the samples of `rules.context_before` before the window and `rules.context_after` after it
    as well: they tell the state of each aircraft at the window's edges, so that a movement near
    midnight is counted once, on the day it happens, when each day is run with its context.
    Sorted by (at, airport, movement_type, cid).
    """
    check_window(window_start, window_end)
    movements = []
    for chain in stitch_reconnects(connections, rules):
        for transition in trace_chain(chain, airports, rules).transitions:
            if transition.airport is not None and window_start <= transition.at < window_end:
                movements.append(_movement(transition))
    movements.sort(key=lambda m: (m.at, m.airport, m.movement_type, m.cid))
    return movements


def check_window(window_start: datetime, window_end: datetime) -> None:
    """Reject a window that is naive or empty, with one sentence saying which."""
    if window_start.tzinfo is None or window_end.tzinfo is None:
        raise ValueError("The detection window must be given as timezone-aware UTC datetimes.")
    if window_end <= window_start:
        raise ValueError(f"The detection window ends ({window_end}) before it starts ({window_start}).")


def _movement(transition: Transition) -> Movement:
    assert transition.airport is not None
    connection = transition.connection
    if transition.kind == "takeoff":
        movement_type: MovementType = "departure"
        filed = connection.filed_departure
    else:
        movement_type = "arrival"
        filed = connection.filed_arrival
    icao = transition.airport.icao
    return Movement(
        airport=icao,
        movement_type=movement_type,
        at=transition.at,
        cid=connection.cid,
        callsign=connection.callsign,
        logon_time=connection.logon_time,
        aircraft_type=connection.aircraft_type,
        filed_departure=connection.filed_departure,
        filed_arrival=connection.filed_arrival,
        matches_flight_plan=_code(filed) == icao,
    )


def _connection_order(connection: Connection) -> tuple[datetime, datetime]:
    return connection.logon_time, connection.points[0].observed_at if connection.points else connection.logon_time


def _continues(last_point: TrackPoint, connection: Connection, rules: MovementRules) -> bool:
    """Whether `connection` picks up where the aircraft was at `last_point` (a reconnect)."""
    logon_delay = connection.logon_time - last_point.observed_at
    if logon_delay > rules.reconnect_max_gap or logon_delay < -rules.reconnect_max_overlap:
        return False
    first = connection.points[0]
    gap_hours = max((first.observed_at - last_point.observed_at).total_seconds(), 0.0) / 3600.0
    speed_kt = max(last_point.groundspeed_kt, first.groundspeed_kt)
    reachable_nm = rules.reconnect_slack_nm + speed_kt * rules.reconnect_speed_factor * gap_hours
    jump_nm = haversine_nm(last_point.latitude, last_point.longitude, first.latitude, first.longitude)
    return jump_nm <= reachable_nm


def _chain_points(connections: Sequence[Connection]) -> tuple[TrackLists, list[int]]:
    """All samples of a chain in time order, and the index where each connection's samples start.

    The feed may still list a dropped connection for a moment after its successor logged on; those
    overlapping samples of the old connection describe the same aircraft and are left out.
    """
    if len(connections) == 1:
        return TrackLists.of(TrackColumns.of(connections[0].points)), [0]
    parts: list[TrackColumns] = []
    starts: list[int] = []
    kept = 0
    last_kept = 0  # micros of the latest sample kept so far (meaningful once kept > 0)
    columns = [TrackColumns.of(connection.points) for connection in connections]
    for index, own in enumerate(columns):
        starts.append(kept)
        if index + 1 < len(columns) and len(columns[index + 1]):
            own = own.take(own.micros < columns[index + 1].micros[0])
        if kept and len(own) and own.micros[0] <= last_kept:
            own = own.take(own.micros > last_kept)
        if len(own):
            last_kept = int(own.micros[-1])
        kept += len(own)
        parts.append(own)
    return TrackLists.of(TrackColumns.concatenate(parts)), starts


def _code(icao: str | None) -> str | None:
    return icao.strip().upper() if icao else None


class _NearbyAirports:
    """Airports around an aircraft, fetched from the index only when it has moved far enough."""

    __slots__ = ("_index", "_reach_nm", "_anchor", "_airports")

    def __init__(self, index: AirportIndex, radius_nm: float) -> None:
        self._index = index
        self._reach_nm = radius_nm + _LOOKUP_MARGIN_NM
        self._anchor: tuple[float, float] | None = None  # where the cached airports were looked up
        self._airports: list[Airport] = []

    def around(self, lat: float, lon: float) -> list[Airport]:
        """A superset of the airports within the attribution radius of (lat, lon)."""
        anchor = self._anchor
        if anchor is None or haversine_nm(anchor[0], anchor[1], lat, lon) > _LOOKUP_MARGIN_NM:
            self._airports = [airport for airport, _ in self._index.within(lat, lon, self._reach_nm)]
            self._anchor = (lat, lon)
        return self._airports


class _Tracer:
    """One walk of the state machine over one chain's samples."""

    def __init__(
        self,
        connections: tuple[Connection, ...],
        points: TrackLists,
        starts: list[int],
        airports: AirportIndex,
        rules: MovementRules,
    ) -> None:
        self.connections = connections
        self.points = points
        # The columns as locals of the hot paths: one list index per value read.
        self.alt = points.altitude_ft
        self.gs = points.groundspeed_kt
        self.lat = points.latitude
        self.lon = points.longitude
        self.starts = starts
        self.airports = airports
        self.rules = rules
        self.nearby = _NearbyAirports(airports, rules.airport_radius_nm)
        self.filed: tuple[str | None, ...] = ()

    # -- the walk ------------------------------------------------------------------------------

    def run(self) -> ChainTrace:
        rules = self.rules
        airports = self.airports
        alt, gs, lat, lon = self.alt, self.gs, self.lat, self.lon
        n = len(alt)
        radius = rules.airport_radius_nm
        ground_max = rules.ground_max_agl_ft
        ground_min = rules.ground_min_agl_ft
        airborne_min = rules.airborne_min_agl_ft
        touchdown_max_gs = rules.touchdown_max_gs_kt
        taxi_max_gs = rules.taxi_max_gs_kt
        confirm = max(1, rules.airborne_confirm_samples)
        # Above these altitudes no airport on Earth is near: no look-up is needed to decide.
        above_every_landing = airports.highest_elevation_ft + ground_max
        above_every_airport = airports.highest_elevation_ft + airborne_min
        ceiling_ft = airports.ceiling_ft

        AIRBORNE, GROUND = AircraftState.AIRBORNE, AircraftState.GROUND
        state = AircraftState.UNKNOWN
        phase_starts: list[tuple[AircraftState, int]] = [(state, 0)]
        transitions: list[Transition] = []
        ground_airport: Airport | None = None
        ground_elevation = 0.0
        last_ground = -1  # latest sample on the ground, in GROUND
        streak = -1  # first of the current run of airborne-looking samples, in GROUND or UNKNOWN

        next_connection = 0
        for i in range(n):
            if i == next_connection:
                next_connection = self._enter_connection(i)
            altitude = alt[i]

            if state is AIRBORNE:
                if altitude > above_every_landing or gs[i] > touchdown_max_gs:
                    continue
                if altitude > ceiling_ft(lat[i], lon[i], radius) + ground_max:
                    continue
                airport = self._ground_airport(i)
                if airport is None or self._is_noise_dip(i, airport):
                    continue
                touchdown = i
                if self._is_in_flare(i, airport):
                    # The wheels touch after this sample: attribute the runway the next one is on.
                    touchdown = i + 1
                    airport = self._ground_airport(touchdown) or airport
                at = self._touchdown_time(touchdown)
                transitions.append(
                    Transition("touchdown", at, touchdown - 1, touchdown, airport, self._connection_at(at, touchdown))
                )
                phase_starts.append((GROUND, touchdown))
                state, ground_airport, ground_elevation = GROUND, airport, airport.elevation_ft
                last_ground, streak = touchdown, -1

            elif state is GROUND:
                height = altitude - ground_elevation
                if ground_min <= height <= ground_max:
                    last_ground, streak = i, -1
                    continue
                # Out of the ground band of the field it stood at. Standing at another field now
                # (moved there without flying, e.g. repositioned by the simulator)? Then that one.
                airport = self._ground_airport(i) if gs[i] <= taxi_max_gs else None
                if airport is not None and airport is not ground_airport:
                    ground_airport, ground_elevation = airport, airport.elevation_ft
                    last_ground, streak = i, -1
                    continue
                if height <= airborne_min:
                    streak = -1
                    continue
                if streak < 0:
                    streak = i
                if i - streak + 1 < confirm or not self._is_flying(streak, i):
                    continue
                at = self._liftoff_time(last_ground)
                first_after = last_ground + 1
                transitions.append(
                    Transition(
                        "takeoff", at, last_ground, first_after, ground_airport, self._connection_at(at, first_after)
                    )
                )
                phase_starts.append((AIRBORNE, first_after))
                state, streak = AIRBORNE, -1

            else:  # UNKNOWN: nothing seen yet that tells where the aircraft is
                if altitude > above_every_airport:
                    looks_airborne = True
                else:
                    airport = self._ground_airport(i)
                    if airport is not None:
                        if i > 0:
                            phase_starts.append((GROUND, i))
                        else:
                            phase_starts[0] = (GROUND, 0)
                        state, ground_airport, ground_elevation = GROUND, airport, airport.elevation_ft
                        last_ground, streak = i, -1
                        continue
                    looks_airborne = self._looks_airborne_without_ground(i)
                if not looks_airborne:
                    streak = -1
                    continue
                if streak < 0:
                    streak = i
                if i - streak + 1 < confirm or not self._is_flying(streak, i):
                    continue
                if streak > 0:
                    phase_starts.append((AIRBORNE, streak))
                else:
                    phase_starts[0] = (AIRBORNE, 0)
                state, streak = AIRBORNE, -1

        phases = tuple(
            Phase(phase_state, first, (phase_starts[k + 1][1] - 1) if k + 1 < len(phase_starts) else n - 1)
            for k, (phase_state, first) in enumerate(phase_starts)
        )
        return ChainTrace(self.connections, self.points, phases if n else (), tuple(transitions))

    # -- what a sample says --------------------------------------------------------------------

    def _enter_connection(self, index: int) -> int:
        """Switch the filed airports to the connection whose samples start at `index`; return the
        index where the following connection starts."""
        k = bisect.bisect_right(self.starts, index) - 1
        connection = self.connections[k]
        self.filed = (_code(connection.filed_departure), _code(connection.filed_arrival))
        return self.starts[k + 1] if k + 1 < len(self.starts) else -1

    def _ground_airport(self, i: int) -> Airport | None:
        """The airport sample i is on the ground at, or None if it is on the ground nowhere.

        The sample is compared with one airport only: a filed one within the attribution radius,
        else the nearest within it. Comparing with every airport around would let an aircraft on
        final to a big airport "land" at a higher field nearby whose elevation it is passing.
        """
        rules = self.rules
        if self.gs[i] > rules.touchdown_max_gs_kt:
            return None
        reference = self._reference_airport(i)
        if reference is None:
            return None
        height = self.alt[i] - reference.elevation_ft
        if rules.ground_min_agl_ft <= height <= rules.ground_max_agl_ft:
            return reference
        return None

    def _reference_airport(self, i: int) -> Airport | None:
        """The airport whose elevation sample i's height is measured from: the nearest filed
        airport within the attribution radius, else the nearest airport within it."""
        radius = self.rules.airport_radius_nm
        lat, lon = self.lat[i], self.lon[i]
        # A degree of latitude is never less than 59.9 nm: airports farther north or south than
        # this cannot be in range, and are skipped before the (costlier) great-circle distance.
        max_dlat = radius / 59.9
        best: Airport | None = None
        best_key = (2, radius)
        filed = self.filed
        for airport in self.nearby.around(lat, lon):
            if abs(airport.latitude - lat) > max_dlat:
                continue
            distance = haversine_nm(lat, lon, airport.latitude, airport.longitude)
            if distance > radius:
                continue
            key = (0 if airport.icao in filed else 1, distance)
            if key < best_key:
                best, best_key = airport, key
        return best

    def _looks_airborne_without_ground(self, i: int) -> bool:
        """For an aircraft not on the ground at its reference airport: is it clearly flying?"""
        rules = self.rules
        reference = self._reference_airport(i)
        if reference is not None:
            return self.alt[i] - reference.elevation_ft > rules.airborne_min_agl_ft
        return self.gs[i] >= rules.off_field_airborne_min_gs_kt

    def _is_flying(self, first: int, last: int) -> bool:
        """Whether samples first..last, all high enough to be airborne, also move like flight."""
        rules = self.rules
        alt, gs = self.alt, self.gs
        if alt[last] - alt[first] >= rules.climb_min_ft:
            return True
        return any(gs[k] >= rules.flying_min_gs_kt for k in range(first, last + 1))

    def _is_noise_dip(self, index: int, airport: Airport) -> bool:
        """A single low reading in a descent that goes on afterwards is noise, not a touchdown.

        After a real touchdown the aircraft either stays down or (a touch-and-go) climbs away; it
        is not back above the airborne height and still descending 15-30 s later.
        """
        alt = self.alt
        if index + 2 >= len(alt):
            return False
        rules = self.rules
        after = alt[index + 1] - airport.elevation_ft
        later = alt[index + 2] - airport.elevation_ft
        return after > rules.airborne_min_agl_ft and rules.ground_max_agl_ft < later < after

    def _is_in_flare(self, index: int, airport: Airport) -> bool:
        """Whether a sample in the ground band is still on short final: the next sample is on the
        ground too, and lower by more than ground readings jitter."""
        alt = self.alt
        if index + 1 >= len(alt):
            return False
        rules = self.rules
        following = alt[index + 1]
        height = following - airport.elevation_ft
        return (
            rules.ground_min_agl_ft <= height <= rules.ground_max_agl_ft
            and alt[index] - following > rules.flare_min_drop_ft
        )

    # -- when it happened ----------------------------------------------------------------------

    def _liftoff_time(self, last_ground: int) -> datetime:
        """Lift-off between the last ground sample and the next, where the climb meets the ground."""
        points, alt = self.points, self.alt
        first = last_ground + 1
        first_at = points.observed_at(first)
        second = last_ground + 2 if last_ground + 2 < len(alt) else None
        slope = (points.observed_at(second) - first_at, alt[second] - alt[first]) if second is not None else None
        return first_at - _time_from_ground(alt[first] - alt[last_ground], slope,
                                            first_at - points.observed_at(last_ground))

    def _touchdown_time(self, first_ground: int) -> datetime:
        """Touchdown between the last airborne sample and the first on the ground, where the
        descent seen before meets the ground."""
        points, alt = self.points, self.alt
        last = first_ground - 1
        last_at = points.observed_at(last)
        before = first_ground - 2 if first_ground >= 2 else None
        slope = (last_at - points.observed_at(before), alt[before] - alt[last]) if before is not None else None
        return last_at + _time_from_ground(alt[last] - alt[first_ground], slope,
                                           points.observed_at(first_ground) - last_at)

    def _connection_at(self, at: datetime, first_after: int) -> Connection:
        """The connection in effect at `at`: the one holding the sample after the movement, unless
        the movement happened in a reconnect gap before that connection logged on."""
        k = bisect.bisect_right(self.starts, first_after) - 1
        if k > 0 and at < self.connections[k].logon_time:
            k -= 1
        return self.connections[k]


def _time_from_ground(height_ft: float, slope: tuple[timedelta, float] | None, gap: timedelta) -> timedelta:
    """How long an airborne sample `height_ft` above the ground sample is from the moment of
    lift-off or touchdown: along the climb or descent line `slope` (time, feet gained or lost)
    seen beside it, else half the gap; never outside the gap between the two samples."""
    span = gap.total_seconds()
    seconds = span / 2.0
    if slope is not None:
        dt, rate_ft = slope[0].total_seconds(), slope[1]
        if 0.0 < dt <= _SLOPE_MAX_SPAN_S and rate_ft > 0:
            seconds = height_ft * dt / rate_ft
    return timedelta(seconds=min(max(seconds, 0.0), span))
