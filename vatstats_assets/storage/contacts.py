"""A day's ATC contacts from the warehouse: candidates, ticks and tracks read, core/contacts.py applied.

Three reads: the candidates (overlaps of pilot and controller tuning runs on one channel, in SQL),
the snapshot times, and the track points of the pilots (storage/track_points.py).
The window reaches MARGIN beyond the day on each side, so a contact running over midnight is seen
whole and cut there (core/contacts.py has the rule itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa

from vatstats_assets.core.contacts import Candidates, contact_ticks
from vatstats_assets.core.coverage_rules import (
    DEFAULT_CONTACT_RULES,
    RUN_GAP_S,
    ContactRules,
    is_controllable_channel,
    station_range_nm,
)
from vatstats_assets.core.track_columns import from_micros, to_micros
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.track_points import ConnectionKey, WireKey, window_tracks

# Beyond the day on each side: more than RUN_GAP_S, so the tick before midnight and the one after
# are both read even across a short feed outage.
MARGIN = timedelta(seconds=2 * RUN_GAP_S)



@dataclass(frozen=True)
class DayContacts:
    rows: list[tuple]  # ATC_CONTACTS' columns, in order
    candidates: int  # run overlaps examined
    pair_ticks: int  # (candidate, snapshot) pairs examined
    points: int  # track points read


def day_contacts(conn: sa.Connection, day_start: datetime, day_end: datetime,
                 rules: ContactRules = DEFAULT_CONTACT_RULES) -> DayContacts:
    """The contacts of [day_start, day_end), each cut to it."""
    bounds = {"window_start": day_start - MARGIN, "window_end": day_end + MARGIN}
    # The runs' statistics lag by design (migration 012: analysed after twice the table changed), so
    # the planner takes the window's runs for a few and pairs them in nested loops: 10 s for a
    # 1,500-pilot day against 0.3 s hashed on the channel.
    conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
    found = conn.execute(sa.text(query("atc_contact_candidates")), bounds).all()
    conn.exec_driver_sql("RESET enable_nestloop")
    found = [r for r in found if is_controllable_channel(r.channel_hz) and r.site_latitudes]
    ticks = np.array([to_micros(r[0]) for r in conn.execute(sa.text(query("atc_contact_ticks")), bounds)],
                     dtype=np.int64)
    if not found or not len(ticks):
        return DayContacts([], len(found), 0, 0)
    pilots = sorted({(r.pilot_cid, r.pilot_callsign, r.pilot_logon_time) for r in found})
    tracks, connection_of = window_tracks(conn, bounds, pilots)
    candidates, pairs = _candidates(found, connection_of)
    spans = contact_ticks(candidates, ticks, tracks, max_gap_micros=int(RUN_GAP_S * 1_000_000))
    half = timedelta(seconds=rules.half_interval_s)
    rows = []
    for pair, first, last in zip(spans.pair.tolist(), spans.first_tick.tolist(), spans.last_tick.tolist(),
                                 strict=True):
        started = max(from_micros(int(ticks[first])) - half, day_start)
        ended = min(from_micros(int(ticks[last])) + half, day_end)
        if ended > started:
            pilot, atc, facility, channel = pairs[pair]
            rows.append((*pilot, *atc, facility, channel, started, ended))
    pair_ticks = int(np.maximum(np.searchsorted(ticks, candidates.end, side="right")
                                - np.searchsorted(ticks, candidates.start), 0).sum())
    return DayContacts(rows, len(candidates), pair_ticks, len(tracks.micros))


def _candidates(found: Sequence[sa.Row], connection_of: dict[WireKey, int]
                ) -> tuple[Candidates, list[tuple[ConnectionKey, ConnectionKey, int, int]]]:
    """core.contacts.Candidates of the rows whose pilot has a track, and what each pair index stands for."""
    pair_index: dict[tuple[ConnectionKey, ConnectionKey, int], int] = {}
    pairs: list[tuple[ConnectionKey, ConnectionKey, int, int]] = []
    pair, pilot, start, end, reach, offsets = [], [], [], [], [], [0]
    latitudes: list[float] = []
    longitudes: list[float] = []
    ranges: dict[tuple[int, int | None], float] = {}
    seen_pilots: dict[WireKey, ConnectionKey] = {}
    for r in found:
        pilot_key = (r.pilot_cid, r.pilot_callsign, r.pilot_logon_time)
        wire = (r.pilot_cid, to_micros(r.pilot_logon_time), r.pilot_callsign_hash)
        if seen_pilots.setdefault(wire, pilot_key) != pilot_key:  # never seen; never guessed either
            raise RuntimeError(f"connections {seen_pilots[wire]} and {pilot_key} share cid, logon time and "
                               "callsign hash")
        connection = connection_of.get(wire)
        if connection is None:
            continue
        atc_key = (r.atc_cid, r.atc_callsign, r.atc_logon_time)
        key = (pilot_key, atc_key, r.channel_hz)
        if key not in pair_index:
            pair_index[key] = len(pairs)
            pairs.append((pilot_key, atc_key, r.facility, r.channel_hz))
        station = (r.facility, r.visual_range)
        if station not in ranges:
            ranges[station] = station_range_nm(r.facility, r.visual_range)
        pair.append(pair_index[key])
        pilot.append(connection)
        start.append(to_micros(r.overlap_start))
        end.append(to_micros(r.overlap_end))
        reach.append(ranges[station])
        latitudes.extend(r.site_latitudes)
        longitudes.extend(r.site_longitudes)
        offsets.append(len(latitudes))
    candidates = Candidates(
        pair=np.array(pair, dtype=np.int64), pilot=np.array(pilot, dtype=np.int64),
        start=np.array(start, dtype=np.int64), end=np.array(end, dtype=np.int64),
        range_nm=np.array(reach, dtype=np.float64), site_offsets=np.array(offsets, dtype=np.int64),
        site_latitude=np.array(latitudes, dtype=np.float64), site_longitude=np.array(longitudes, dtype=np.float64),
    )
    return candidates, pairs
