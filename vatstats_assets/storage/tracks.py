"""Load the track history of a time window as `core.movements.Connection`s.

The positions come by binary COPY straight into numpy (`core.track_columns.TrackColumns`): a
1,500-pilot day is 8-9 million positions, and handling them one by one in Python (a COPY row, a
tz-aware datetime, a TrackPoint each) used to take most of a backfill's time. Every field of a row
is fixed-width (the callsign travels as its hashtext), so the whole result is one numpy record
array, grouped by connection and ordered by time with one numpy sort: cheaper than the server's
sort and array_agg per connection that it replaced (`bench/backfill_paths.py`). The connections,
their samples, order and values are the same as track_window.sql's (bench/backfill_paths.py and
vatstats_tests/storage/test_tracks.py compare them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa

from vatstats_assets.core.movement_rules import DEFAULT_RULES, MovementRules
from vatstats_assets.core.movements import Connection
from vatstats_assets.core.track_columns import TrackColumns, from_micros, to_micros
from vatstats_assets.storage.copy_numpy import copy_columns_in_slices
from vatstats_assets.storage.sql_files import query

_FIELDS = (  # track_window_rows.sql's columns in order: name, type on the wire
    ("cid", ">i4"), ("logon", ">i8"), ("callsign_hash", ">i4"), ("micros", ">i8"),
    ("latitude", ">f8"), ("longitude", ">f8"), ("altitude_ft", ">i4"), ("groundspeed_kt", ">i4"),
)

ConnectionKey = tuple[int, str, datetime]
Bounds = Mapping[str, datetime | timedelta]  # a rows query's parameters; the other queries read what they name


@dataclass(frozen=True)
class TrackWindow:
    connections: list[Connection]
    flight_rules: dict[tuple[int, str, datetime], str | None]
    points: int


def load_tracks(
    conn: sa.Connection,
    start: datetime,
    end: datetime,
    before: timedelta = DEFAULT_RULES.context_before,
    after: timedelta = DEFAULT_RULES.context_after,
) -> TrackWindow:
    """Connections with their points from `before` ahead of the window to `after` beyond it (the
    context the movement rules need; see core/movement_rules.py)."""
    bounds: Bounds = {"context_start": start - before, "lookahead_end": end + after}
    return _load(conn, bounds, query("track_window_rows"))


def load_whole_flights(
    conn: sa.Connection, start: datetime, end: datetime, rules: MovementRules = DEFAULT_RULES,
) -> TrackWindow:
    """What completed_flights needs for the flights landing in the window: load_tracks' context, and
    before it, back to `rules.whole_flight_before`, the positions of the connections seen in that context
    and of the connections they may continue (track_window_rows_whole_flights.sql): the same flights
    as the whole window gives, from far fewer rows when the day before was ingested."""
    bounds: Bounds = {"context_start": start - rules.whole_flight_before, "recent_start": start - rules.context_before,
                      "lookahead_end": end + rules.context_after, "reconnect_gap": rules.reconnect_max_gap}
    return _load(conn, bounds, query("track_window_rows_whole_flights"))


def _load(conn: sa.Connection, bounds: Bounds, rows_query: str) -> TrackWindow:
    plans = {
        (r.cid, r.callsign, r.logon_time): r
        for r in conn.execute(sa.text(query("track_connections")), bounds)
    }
    connections: list[Connection] = []
    total = 0
    for (cid, callsign, logon_time), points in _connection_tracks(conn, bounds, plans, rows_query):
        plan = plans.get((cid, callsign, logon_time))
        connections.append(Connection(
            cid=cid, callsign=callsign, logon_time=logon_time,
            aircraft_type=plan.aircraft_type if plan else None,
            filed_departure=plan.departure if plan else None,
            filed_arrival=plan.arrival if plan else None,
            points=points,
        ))
        total += len(points)
    rules = {key: plan.flight_rules for key, plan in plans.items()}
    return TrackWindow(connections, rules, total)


def _connection_tracks(conn: sa.Connection, bounds: Bounds, plans: dict[ConnectionKey, sa.Row], rows_query: str
                       ) -> Iterator[tuple[ConnectionKey, TrackColumns]]:
    """Each connection with positions in the window and its samples in time order, connections in
    track_connections.sql's order (cid, callsign, logon_time), then any it does not list."""
    rows = copy_columns_in_slices(conn, rows_query, bounds, _FIELDS, "the track window's rows")
    # Group: a stable sort by connection keeps each connection's rows in the order they came, and
    # a connection whose times are then out of order is sorted on its own (rows usually arrive in
    # time order: a partition is appended to tick by tick).
    order = np.lexsort((rows["callsign_hash"], rows["logon"], rows["cid"]))
    keys = np.stack([rows["cid"][order].astype(np.int64), rows["logon"][order],
                     rows["callsign_hash"][order].astype(np.int64)])
    columns = [rows[name][order].astype(np.float64 if wire == ">f8" else np.int64) for name, wire in _FIELDS[3:]]
    starts = [0, *(np.flatnonzero((keys[:, 1:] != keys[:, :-1]).any(axis=0)) + 1).tolist()] if len(order) else []
    ends = [*starts[1:], len(order)] if starts else []
    spans = {tuple(keys[:, first].tolist()): (first, last) for first, last in zip(starts, ends, strict=True)}
    for key, (first, last) in _in_connection_order(conn, bounds, plans, spans):
        track = TrackColumns(*(column[first:last] for column in columns))
        micros = track.micros
        if len(micros) > 1 and not (micros[1:] > micros[:-1]).all():
            track = track.take(np.argsort(micros, kind="stable"))
        yield key, track


def _in_connection_order(conn: sa.Connection, bounds: Bounds, plans: dict[ConnectionKey, sa.Row],
                         spans: dict[tuple[int, ...], tuple[int, int]]
                         ) -> Iterator[tuple[ConnectionKey, tuple[int, int]]]:
    """(connection, its rows' span) for every span: the planned connections in their order, then those
    without a `flights` row in the window, whose callsigns are looked up."""
    placed: dict[tuple[int, ...], ConnectionKey] = {}
    for key, plan in plans.items():
        wire_key: tuple[int, ...] = (key[0], to_micros(key[2]), plan.callsign_hash)
        if wire_key in placed:  # two connections the wire cannot tell apart: never seen, but never guessed
            raise RuntimeError(f"connections {placed[wire_key]} and {key} share cid, logon time and callsign hash")
        placed[wire_key] = key
    for wire_key, key in placed.items():
        if wire_key in spans:
            yield key, spans[wire_key]
    unplaced = [wire_key for wire_key in spans if wire_key not in placed]
    if not unplaced:
        return
    found = conn.execute(sa.text(query("track_connections_unplanned")), {**bounds,
        "cids": sorted({cid for cid, _, _ in unplaced}),
        "logon_times": sorted({from_micros(micros) for _, micros, _ in unplaced})})
    for row in found:
        wire_key = (row.cid, to_micros(row.logon_time), row.callsign_hash)
        if wire_key in spans and wire_key not in placed:
            placed[wire_key] = (row.cid, row.callsign, row.logon_time)
            yield placed[wire_key], spans[wire_key]
