"""Ground truth of ATC contacts: when each pilot connection was in contact with each controller
connection, from the true trajectory and the true tuning (not from the 15 s snapshots).

A contact is the rule of `core/coverage_rules.py`, whose functions are applied here as the warehouse
applies them: a pilot transceiver and a controller transceiver on the same `channel_hz`, the channel
controllable, the controller providing service (not an observer, not an ATIS), the aircraft within
`station_range_nm` (the feed's visual_range) of one of the controller's transceivers on that channel,
both connected. The tuning is `sim/radio.py`'s `tune`, the very function the served transceivers feed
is built with.

Timing: every connection is sampled every `SAMPLE_STEP_S` (5 s) of its true, continuous path, and each
change between two samples (a retune, a range edge, a logon or logoff) is solved by bisection to about
5 ms, as `sim/sector_truth.py` does for sector edges. A contact (or a gap in one) shorter than
the step that falls wholly between two samples is the only thing missed; the feed (every 15 s) cannot
show those either.
Contacts are cut at the edges of the simulated window, as the snapshots are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vatstats_assets.core.coverage_rules import channel_hz, is_controllable_channel, station_range_nm
from vatstats_assets.sim.radio import (
    PilotRadio,
    Stations,
    distances_nm,
    pilot_radio,
    points_for,
    tune,
    unit_vectors,
)
from vatstats_assets.sim.timefmt import utc_from_epoch
from vatstats_assets.sim.traffic import Connection, PilotSession
from vatstats_assets.sim.truth import ContactTruth

# A third of the feed's interval: whatever lasts a snapshot interval (15 s) or more is sampled at least
# three times, so every contact or gap the feed could show is in the truth; shorter ones may be missed
# (bench/score_contacts.py does not count those). Edges are then timed by bisection, not by the step.
SAMPLE_STEP_S = 5.0
# 10 halvings of a 5 s step: ~5 ms, far below the feed's 15 s.
_BISECTION_STEPS = 10
# Stations are narrowed per connection to those whose responsibility it ever comes near: sampled every
# 30 s (5 nm at 600 kt), with a margin well above that, so a station left out is never the one tuned.
_NEAR_STEP_S = 30.0
_NEAR_MARGIN_NM = 20.0


def _channels(frequencies: np.ndarray) -> np.ndarray:
    """channel_hz of each frequency (0, no transceiver, stays 0): the rule's function, once per value."""
    values, inverse = np.unique(frequencies, return_inverse=True)
    mapped = np.asarray([channel_hz(int(v)) if v else 0 for v in values], dtype=np.int64)
    return mapped[inverse.reshape(frequencies.shape)]


class _Radio:
    """One connection's true tuning and position at any instants."""

    def __init__(self, session: PilotSession, radio: PilotRadio, stations: Stations) -> None:
        self.session = session
        self.radio = radio
        self.stations = stations

    def at(self, times: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(unit vectors, COM1 channel, COM2 channel) at `times`."""
        latitude, longitude, altitude, speed = self.session.trajectory.positions_at(times - self.session.base)
        points = points_for(self.radio, times, latitude, longitude, altitude, speed)
        com1, com2 = tune(points, self.stations)
        return points.vector, _channels(com1), _channels(com2)


def _near(session: PilotSession, stations: Stations, start: float, end: float) -> np.ndarray:
    """Rows online at some point of [start, end) whose responsibility the connection comes near."""
    overlap = np.flatnonzero((stations.logon < end) & (stations.logoff > start))
    if overlap.size == 0:
        return overlap
    times = np.append(np.arange(start, end, _NEAR_STEP_S), end)
    latitude, longitude, _, _ = session.trajectory.positions_at(times - session.base)
    nearest = distances_nm(unit_vectors(latitude, longitude), stations.vector[overlap]).min(axis=0)
    return overlap[nearest <= stations.reach_nm[overlap] + _NEAR_MARGIN_NM]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    change = np.diff(mask.astype(np.int8))
    firsts = np.flatnonzero(change == 1) + 1
    lasts = np.flatnonzero(change == -1)
    if mask[0]:
        firsts = np.insert(firsts, 0, 0)
    if mask[-1]:
        lasts = np.append(lasts, mask.size - 1)
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))


@dataclass(frozen=True)
class _Candidate:
    """A controller connection on one of the tuned channels: in contact when the rule says so."""

    row: int
    carrier: int
    logon: float
    logoff: float
    site_vectors: np.ndarray
    reach_nm: float

    def in_contact(self, at: np.ndarray, vectors: np.ndarray, com1: np.ndarray, com2: np.ndarray) -> np.ndarray:
        near = distances_nm(vectors, self.site_vectors).min(axis=1) <= self.reach_nm
        return (self.logon <= at) & (at < self.logoff) & ((com1 == self.carrier) | (com2 == self.carrier)) & near


def _candidates(stations: Stations, tuned: set[int], start: float, end: float) -> list[_Candidate]:
    chosen = stations.serves & (stations.logoff > start) & (stations.logon < end) \
        & np.isin(stations.carrier_hz, np.fromiter(tuned, dtype=np.int64, count=len(tuned)))
    found = []
    for row in np.flatnonzero(chosen).tolist():
        carrier = int(stations.carrier_hz[row])
        atc = stations.connections[row]
        sites = np.asarray([(s.latitude, s.longitude) for s in atc.sites if s.frequency_hz == carrier])
        found.append(_Candidate(row, carrier, float(stations.logon[row]), float(stations.logoff[row]),
                                unit_vectors(sites[:, 0], sites[:, 1]), station_range_nm(atc.facility, atc.visual_range)))
    return found


def _edges(radio: _Radio, candidates: list[_Candidate], which: np.ndarray, outside_at: np.ndarray,
           inside_at: np.ndarray) -> np.ndarray:
    """The instants between each pair (either order in time) where candidate `which`'s contact begins or
    ends: bisection on the continuous truth, every edge of the connection at once."""
    outside, within = outside_at.astype(np.float64), inside_at.astype(np.float64)
    groups = [(k, np.flatnonzero(which == k)) for k in np.unique(which).tolist()]
    for _ in range(_BISECTION_STEPS):
        middle = (outside + within) / 2
        vectors, com1, com2 = radio.at(middle)
        now = np.zeros(middle.size, dtype=bool)
        for k, members in groups:
            now[members] = candidates[k].in_contact(middle[members], vectors[members], com1[members], com2[members])
        within = np.where(now, middle, within)
        outside = np.where(now, outside, middle)
    return (outside + within) / 2


def connection_contacts(session: PilotSession, connection: Connection, stations: Stations,
                        window_start: float, window_end: float) -> list[ContactTruth]:
    """Every contact of one pilot connection within [window_start, window_end], `stations` being every
    controller and ATIS connection (sim/radio.py `station_table`) that may overlap it."""
    start, end = max(connection.logon, window_start), min(connection.logoff, window_end)
    if end <= start or stations.size == 0:
        return []
    radio = _Radio(session, pilot_radio(session, connection), stations.subset(_near(session, stations, start, end)))
    times = np.append(np.arange(start, end, SAMPLE_STEP_S), end)
    vectors, com1, com2 = radio.at(times)
    tuned = {int(c) for c in np.unique(np.concatenate((com1, com2))) if c and is_controllable_channel(int(c))}
    candidates = _candidates(stations, tuned, start, end)
    # Runs of samples in contact, per candidate: (candidate, first sample, last sample).
    runs = [(k, first, last) for k, candidate in enumerate(candidates)
            for first, last in _runs(candidate.in_contact(times, vectors, com1, com2))]
    if not runs:
        return []
    which, firsts, lasts = (np.asarray(column, dtype=np.int64) for column in zip(*runs, strict=True))
    began, ended = times[firsts].copy(), times[lasts].copy()
    crossed_in, crossed_out = firsts > 0, lasts < times.size - 1
    if crossed_in.any() or crossed_out.any():
        # Beginnings (outside before, inside after) and ends (inside before, outside after) bisected together.
        solved = _edges(radio, candidates, np.concatenate((which[crossed_in], which[crossed_out])),
                        np.concatenate((times[firsts[crossed_in] - 1], times[lasts[crossed_out] + 1])),
                        np.concatenate((times[firsts[crossed_in]], times[lasts[crossed_out]])))
        began[crossed_in] = solved[:int(crossed_in.sum())]
        ended[crossed_out] = solved[int(crossed_in.sum()):]
    found = []
    for k, start_at, end_at in zip(which.tolist(), began.tolist(), ended.tolist(), strict=True):
        candidate = candidates[k]
        atc = stations.connections[candidate.row]
        found.append(ContactTruth(
            session.cid, session.callsign, connection.logon_datetime, atc.cid, atc.callsign, atc.logon_datetime,
            atc.facility, candidate.carrier, utc_from_epoch(round(start_at, 3)), utc_from_epoch(round(end_at, 3)),
        ))
    return found


def session_contacts(session: PilotSession, stations: Stations, window_start: float,
                     window_end: float) -> list[ContactTruth]:
    """Every contact of the session's connections inside the window, in time order."""
    found = [c for connection in session.connections
             for c in connection_contacts(session, connection, stations, window_start, window_end)]
    found.sort(key=lambda c: (c.started_at, c.atc_callsign))
    return found
