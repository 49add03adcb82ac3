"""What each simulated pilot has tuned: the station responsible for where it is, as a pure function of time.

Pilots work the stations online along their route, most specific first: delivery at the gate before
pushing back, ground while taxiing (and parked after landing), tower near the field and low, approach in the terminal area,
then the centre, then oceanic (FSS). A station missing hands its part to the next one up (the
top-down rule pilots follow on VATSIM); with nobody responsible the pilot sits on UNICOM. Among
several stations of one kind the nearest wins; a centre transmitting on two frequencies is worked on
the one whose transceivers are nearer.

Everything is a function of (instant, position, the pilot connection's own draws, who is online), so
the served feed (one instant, every pilot) and the ground truth (one connection, every second) call the
same `tune` on different batches and cannot disagree. On top of the route:

- a small share of connections sit on an adjacent channel (25 kHz off) for a few minutes: a wrong tune;
- on an 8.33 kHz channel a pilot client reports its name (132.840), its carrier (132.841667) or the
  carrier cut to whole kHz (132.841): one style per connection;
- a share of connections keep COM2 on guard (121.5), and others listen to the nearest ATIS on COM2 for
  the first minutes after logon: neither is a contact, by the rules.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from vatstats_assets.core.coverage_rules import GUARD_HZ, UNICOM_HZ, provides_service
from vatstats_assets.sim.controllers import ControllerConnection
from vatstats_assets.sim.sphere import EARTH_RADIUS_NM, to_vector
from vatstats_assets.sim.traffic import Connection, PilotSession

# Responsibility by facility: (rank, reach in nm from home, ceiling in ft above home, on the ground only).
# Delivery: the field, before off-block. Ground: the field, at or below 40 kt (the movement rules' taxi
# speed), so the switch to tower is the take-off roll and back to ground the end of the landing roll;
# tower: 12 nm and below 4,000 ft above the field; approach: 45 nm and below FL180; centre 450 nm;
# oceanic 1,500 nm. Ranks order them from the most specific.
_RESPONSIBILITY = {
    2: (0, 5.0, math.inf, True),
    3: (1, 5.0, math.inf, True),
    4: (2, 12.0, 4000.0, False),
    5: (3, 45.0, 18000.0, False),
    6: (4, 450.0, math.inf, False),
    1: (5, 1500.0, math.inf, False),
}
TAXI_MAX_GS_KT = 40.0  # as MovementRules.taxi_max_gs_kt: faster is a take-off roll or flight
ATIS_LISTEN_NM = 25.0  # COM2 on an ATIS only near its airport
_ATIS_RANK = 99  # never worked on COM1
_SCORE_PER_RANK = 1e4  # above any reach in nm, so rank decides before distance

WRONG_TUNE_SHARE = 0.05
WRONG_TUNE_S = (180.0, 720.0)
GUARD_ON_COM2_SHARE = 0.25
ATIS_ON_COM2_SHARE = 0.4
ATIS_LISTEN_S = (60.0, 300.0)
NAME, CARRIER, CARRIER_KHZ = range(3)  # how a pilot client reports an 8.33 kHz channel


@dataclass(frozen=True, slots=True)
class PilotRadio:
    """One pilot connection's own draws (from its own stream: the traffic's streams are untouched)."""

    off_block: float  # absolute: leaving the gate (delivery's part ends); inf when it never does
    style: int  # NAME, CARRIER or CARRIER_KHZ
    wrong_from: float
    wrong_to: float
    wrong_offset_hz: int
    guard_on_com2: bool
    atis_until: float  # COM2 on the nearest ATIS before this instant


def pilot_radio(session: PilotSession, connection: Connection) -> PilotRadio:
    rng = random.Random(f"radio/{session.cid}/{session.callsign}/{connection.logon!r}")
    # A session that only parks has off_block at its end: it talks to delivery all along.
    off_block = session.base + session.plan.off_block
    style = rng.choice((NAME, NAME, CARRIER, CARRIER_KHZ))
    wrong_from = wrong_to = math.inf
    if rng.random() < WRONG_TUNE_SHARE:
        length = rng.uniform(*WRONG_TUNE_S)
        span = connection.logoff - connection.logon
        wrong_from = connection.logon + rng.uniform(0.0, max(0.0, span - length))
        wrong_to = wrong_from + length
    offset = rng.choice((-25_000, 25_000))
    guard = rng.random() < GUARD_ON_COM2_SHARE
    atis_until = connection.logon + rng.uniform(*ATIS_LISTEN_S) if rng.random() < ATIS_ON_COM2_SHARE else -math.inf
    return PilotRadio(off_block, style, wrong_from, wrong_to, offset, guard, atis_until)


@dataclass(frozen=True)
class Stations:
    """Every frequency a pilot can tune, one row per (connection, frequency), as arrays."""

    connections: tuple[ControllerConnection, ...]
    vector: np.ndarray  # (R, 3) unit vector of the connection's home
    anchor: np.ndarray  # (R, 3) unit vector of the first transceiver on this frequency
    rank: np.ndarray
    reach_nm: np.ndarray
    ceiling_ft: np.ndarray  # above home elevation
    elevation_ft: np.ndarray
    ground_only: np.ndarray
    gate_only: np.ndarray
    logon: np.ndarray
    logoff: np.ndarray
    carrier_hz: np.ndarray
    name_hz: np.ndarray
    carrier_khz_hz: np.ndarray
    serves: np.ndarray  # the connection provides service (core/coverage_rules.py provides_service)

    @property
    def size(self) -> int:
        return int(self.rank.size)

    def subset(self, rows: np.ndarray) -> Stations:
        """The chosen rows, in their order (so ties resolve as in the whole table)."""
        return Stations(tuple(self.connections[i] for i in rows), *(getattr(self, name)[rows] for name in _ARRAYS))


_ARRAYS = ("vector", "anchor", "rank", "reach_nm", "ceiling_ft", "elevation_ft", "ground_only", "gate_only",
           "logon", "logoff", "carrier_hz", "name_hz", "carrier_khz_hz", "serves")


def _frequency_hz(frequency: str) -> int:
    megahertz, _, fraction = frequency.partition(".")
    return int(megahertz) * 1_000_000 + int(fraction.ljust(3, "0")) * 1000


def station_table(connections: list[ControllerConnection]) -> Stations:
    """The rows of the controller and ATIS connections given (observers and stations without sites left out)."""
    kept: list[ControllerConnection] = []
    columns: dict[str, list] = {name: [] for name in _ARRAYS}
    for connection in connections:
        if not connection.sites or connection.home is None:
            continue
        atis = connection.section == "atis"
        rank, reach, ceiling, ground = (_ATIS_RANK, ATIS_LISTEN_NM, math.inf, False) if atis \
            else _RESPONSIBILITY[connection.facility]
        primary = connection.sites[0].frequency_hz
        named = _frequency_hz(connection.frequency)
        for carrier in dict.fromkeys(site.frequency_hz for site in connection.sites):
            first = next(site for site in connection.sites if site.frequency_hz == carrier)
            kept.append(connection)
            columns["vector"].append(to_vector(connection.home[0], connection.home[1]))
            columns["anchor"].append(to_vector(first.latitude, first.longitude))
            columns["rank"].append(rank)
            columns["reach_nm"].append(reach)
            columns["ceiling_ft"].append(ceiling)
            columns["elevation_ft"].append(connection.home[2])
            columns["ground_only"].append(ground)
            columns["gate_only"].append(connection.facility == 2 and not atis)
            columns["logon"].append(connection.logon)
            columns["logoff"].append(connection.logoff)
            columns["carrier_hz"].append(carrier)
            # The data feed's name belongs to the primary frequency; a secondary one is reported as its carrier.
            columns["name_hz"].append(named if carrier == primary else carrier)
            columns["carrier_khz_hz"].append(carrier // 1000 * 1000)
            columns["serves"].append(provides_service(connection.facility, atis))
    arrays = {name: np.asarray(values, dtype=np.float64) for name, values in columns.items()}
    for name in ("vector", "anchor"):
        arrays[name] = arrays[name].reshape(-1, 3)
    for name in ("rank", "carrier_hz", "name_hz", "carrier_khz_hz"):
        arrays[name] = arrays[name].astype(np.int64)
    for name in ("ground_only", "gate_only", "serves"):
        arrays[name] = arrays[name].astype(bool)
    return Stations(tuple(kept), **arrays)


@dataclass(frozen=True)
class PilotPoints:
    """Pilot samples: one row per (connection, instant), with the connection's draws repeated."""

    t: np.ndarray
    vector: np.ndarray  # (N, 3)
    altitude_ft: np.ndarray
    groundspeed_kt: np.ndarray
    off_block: np.ndarray
    style: np.ndarray
    wrong_from: np.ndarray
    wrong_to: np.ndarray
    wrong_offset_hz: np.ndarray
    guard_on_com2: np.ndarray
    atis_until: np.ndarray


def unit_vectors(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(latitude), np.radians(longitude)
    cos_lat = np.cos(lat)
    return np.stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)), axis=-1)


def distances_nm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distances between every row of `a` (N, 3) and of `b` (M, 3): an (N, M) array."""
    dot = np.clip(a @ b.T, -1.0, 1.0)
    chord = np.sqrt(np.maximum(0.0, 2.0 - 2.0 * dot))
    return 2.0 * np.arcsin(np.minimum(1.0, chord / 2.0)) * EARTH_RADIUS_NM


def points_for(radio: PilotRadio, t: np.ndarray, latitude: np.ndarray, longitude: np.ndarray,
               altitude_ft: np.ndarray, groundspeed_kt: np.ndarray) -> PilotPoints:
    """Samples of one connection at instants `t`."""
    n = t.size
    return PilotPoints(
        t, unit_vectors(latitude, longitude), altitude_ft, groundspeed_kt,
        np.full(n, radio.off_block), np.full(n, radio.style), np.full(n, radio.wrong_from),
        np.full(n, radio.wrong_to), np.full(n, radio.wrong_offset_hz), np.full(n, radio.guard_on_com2),
        np.full(n, radio.atis_until),
    )


def stack_points(radios: list[PilotRadio], t: float, states: list[tuple[float, float, float, float]]) -> PilotPoints:
    """Many connections at one instant: `states` are (latitude, longitude, altitude_ft, groundspeed_kt)."""
    n = len(radios)
    state = np.asarray(states, dtype=np.float64).reshape(n, 4)
    return PilotPoints(
        np.full(n, t), unit_vectors(state[:, 0], state[:, 1]), state[:, 2], state[:, 3],
        np.asarray([r.off_block for r in radios], dtype=np.float64),
        np.asarray([r.style for r in radios], dtype=np.int64),
        np.asarray([r.wrong_from for r in radios], dtype=np.float64),
        np.asarray([r.wrong_to for r in radios], dtype=np.float64),
        np.asarray([r.wrong_offset_hz for r in radios], dtype=np.int64),
        np.asarray([r.guard_on_com2 for r in radios], dtype=bool),
        np.asarray([r.atis_until for r in radios], dtype=np.float64),
    )


def tune(points: PilotPoints, stations: Stations) -> tuple[np.ndarray, np.ndarray]:
    """(COM1, COM2) in Hz as each pilot's client reports them; COM2 is 0 when it has no second transceiver."""
    n = points.t.size
    if stations.size == 0:
        com1 = np.full(n, UNICOM_HZ, dtype=np.int64)
        wrong = (points.t >= points.wrong_from) & (points.t < points.wrong_to)
        com1 = np.where(wrong, com1 + points.wrong_offset_hz, com1)
        return com1, np.where(points.guard_on_com2, GUARD_HZ, 0).astype(np.int64)
    t = points.t[:, None]
    online = (stations.logon[None, :] <= t) & (t < stations.logoff[None, :])
    distance = distances_nm(points.vector, stations.vector)
    taxiing = (points.groundspeed_kt <= TAXI_MAX_GS_KT)[:, None]
    at_gate = (points.t < points.off_block)[:, None]
    above_home = points.altitude_ft[:, None] - stations.elevation_ft[None, :]
    responsible = (
        online & (distance <= stations.reach_nm[None, :]) & (above_home < stations.ceiling_ft[None, :])
        & (taxiing | ~stations.ground_only[None, :]) & (at_gate | ~stations.gate_only[None, :])
    )
    atis = stations.rank == _ATIS_RANK
    worked = responsible & ~atis[None, :]
    # Rank first, then the nearest home; a station's frequencies share a home, so the nearest
    # transceiver picks between them.
    score = stations.rank[None, :] * _SCORE_PER_RANK + distance + 1e-6 * distances_nm(points.vector, stations.anchor)
    score = np.where(worked, score, np.inf)
    best = np.argmin(score, axis=1)
    has = np.isfinite(score[np.arange(n), best])
    by_style = np.stack((stations.name_hz[best], stations.carrier_hz[best], stations.carrier_khz_hz[best]))
    intended = np.where(has, by_style[points.style, np.arange(n)], UNICOM_HZ)
    wrong = (points.t >= points.wrong_from) & (points.t < points.wrong_to)
    com1 = np.where(wrong, intended + points.wrong_offset_hz, intended).astype(np.int64)
    listening = responsible & atis[None, :] & (points.t < points.atis_until)[:, None]
    atis_score = np.where(listening, distance, np.inf)
    nearest = np.argmin(atis_score, axis=1)
    has_atis = np.isfinite(atis_score[np.arange(n), nearest])
    com2 = np.where(points.guard_on_com2, GUARD_HZ, np.where(has_atis, stations.carrier_hz[nearest], 0))
    return com1, com2.astype(np.int64)
