"""ATC contacts from tuning runs and tracks, for a whole day at once (pure: numpy, no I/O).

The input is what the warehouse keeps: *candidates*, each the overlap in time of a pilot's tuning run
and a controller's on the same channel (storage/contacts.py finds them in SQL), the snapshot times
(*ticks*) of the window, and the pilots' track positions. A candidate is a contact at each tick it
spans where the pilot's position then (the last track point at or before the tick: the track keeps
only points that moved) is within the station's range of any of the controller's transceivers on
the channel (core/coverage_rules.py). Ticks in contact form a contact while they are consecutive
snapshots no more than RUN_GAP_S apart; its interval reaches half a snapshot interval beyond its
first and last tick (the half-interval rule).

Everything is a numpy array operation over all of a day's (candidate, tick) pairs, about ten million
for a 1,500-pilot day: a Python loop over them would take minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vatstats_assets.core.geo import haversine_nm_arrays

_TIME_BITS = 38  # track times as microseconds after the window's earliest: 2^38 us is 3.1 days


@dataclass(frozen=True)
class Candidates:
    """Overlaps of a pilot's tuning run with a controller's on the same channel, one element each."""

    pair: np.ndarray  # int64: which (pilot connection, controller connection, channel) it belongs to
    pilot: np.ndarray  # int64: the pilot connection, as an index into Tracks' connections
    start: np.ndarray  # int64 micros: the overlap's first tick
    end: np.ndarray  # int64 micros: its last tick
    range_nm: np.ndarray  # float64: the station's range (coverage_rules.station_range_nm)
    site_offsets: np.ndarray  # int64, one more than candidates: i's sites are [offsets[i], offsets[i+1])
    site_latitude: np.ndarray  # float64
    site_longitude: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.pair)


@dataclass(frozen=True)
class Tracks:
    """Track points of the pilots, ordered by (connection, time)."""

    connection: np.ndarray  # int64, ascending
    micros: np.ndarray  # int64, ascending within a connection
    latitude: np.ndarray  # float64
    longitude: np.ndarray  # float64
    altitude_ft: np.ndarray | None = None  # int64 (coverage_hourly's airport areas; contacts need none)


@dataclass(frozen=True)
class ContactTicks:
    """Contacts as runs of ticks: the pair and the indices of its first and last tick."""

    pair: np.ndarray
    first_tick: np.ndarray
    last_tick: np.ndarray


def span_ticks(start: np.ndarray, end: np.ndarray, ticks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (span, tick) with the tick in [start, end] of the span, as two index arrays."""
    first = np.searchsorted(ticks, start, side="left")
    after = np.searchsorted(ticks, end, side="right")
    counts = np.maximum(after - first, 0)
    span = np.repeat(np.arange(len(start), dtype=np.int64), counts)
    # the k-th tick of a span is its first tick plus k
    starts_at = np.cumsum(counts) - counts
    tick = first[span] + (np.arange(len(span), dtype=np.int64) - starts_at[span])
    return span, tick


def candidate_ticks(candidates: Candidates, ticks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (candidate, tick) with the tick inside the candidate's overlap, as two index arrays."""
    return span_ticks(candidates.start, candidates.end, ticks)


def position_at(tracks: Tracks, connection: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Index of each connection's last track point at or before `at`, or -1 where it has none."""
    if not len(tracks.micros):
        return np.full(len(connection), -1, dtype=np.int64)
    origin = min(int(tracks.micros.min()), int(at.min()) if len(at) else 0)
    stored = (tracks.connection << _TIME_BITS) | (tracks.micros - origin)
    wanted = (connection << _TIME_BITS) | (at - origin)
    found = np.searchsorted(stored, wanted, side="right") - 1
    same_connection = (found >= 0) & (tracks.connection[np.maximum(found, 0)] == connection)
    return np.where(same_connection, found, -1)


def within_range(candidates: Candidates, candidate: np.ndarray, latitude: np.ndarray,
                 longitude: np.ndarray) -> np.ndarray:
    """Is the pilot at (latitude, longitude) within range of any transceiver of the candidate's station?"""
    sites = np.diff(candidates.site_offsets)
    reach = candidates.range_nm[candidate]
    inside = np.zeros(len(candidate), dtype=bool)
    for k in range(int(sites.max()) if len(sites) else 0):
        # the k-th transceiver of each station that has one, for the pairs not yet found in range
        open_ = np.flatnonzero(~inside & (sites[candidate] > k))
        site = candidates.site_offsets[candidate[open_]] + k
        distance = haversine_nm_arrays(latitude[open_], longitude[open_],
                                       candidates.site_latitude[site], candidates.site_longitude[site])
        inside[open_[distance <= reach[open_]]] = True
    return inside


def contact_ticks(candidates: Candidates, ticks: np.ndarray, tracks: Tracks, max_gap_micros: int) -> ContactTicks:
    """The contacts the ticks show, as runs of consecutive ticks per pair.

    A pair's ticks in contact are one contact while each follows the previous as the next tick, no
    more than max_gap_micros later (a feed outage ends a contact: nobody can tell what happened in it).
    """
    candidate, tick = candidate_ticks(candidates, ticks)
    point = position_at(tracks, candidates.pilot[candidate], ticks[tick])
    located = point >= 0
    candidate, tick, point = candidate[located], tick[located], point[located]
    inside = within_range(candidates, candidate, tracks.latitude[point], tracks.longitude[point])
    # One key per (pair, tick): a pair's consecutive runs on the channel (a controller's transceivers
    # moved) may both span a tick.
    keyed = np.sort((candidates.pair[candidate[inside]] << 32) | tick[inside])
    keyed = keyed[np.concatenate(([True], keyed[1:] != keyed[:-1]))] if len(keyed) else keyed
    pair, tick = keyed >> 32, keyed & 0xFFFFFFFF
    if not len(keyed):
        empty = np.zeros(0, dtype=np.int64)
        return ContactTicks(empty, empty, empty)
    breaks = (pair[1:] != pair[:-1]) | (tick[1:] != tick[:-1] + 1) | (ticks[tick[1:]] - ticks[tick[:-1]] > max_gap_micros)
    starts = np.concatenate(([0], np.flatnonzero(breaks) + 1))
    ends = np.concatenate((starts[1:], [len(keyed)])) - 1
    return ContactTicks(pair[starts], tick[starts], tick[ends])
