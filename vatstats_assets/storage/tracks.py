"""Load the track history of a time window as `core.movements.Connection`s.

The positions come by binary COPY straight into numpy columns (`core.track_columns.TrackColumns`),
one row per connection holding its samples as arrays: a 1,500-pilot day is 8-9 million positions,
and handling them one by one in Python (a COPY row, a tz-aware datetime, a TrackPoint each) used to
take most of a backfill's time. The connections, their samples, order and values are the same as
track_window.sql's (bench/backfill_paths.py and vatstats_tests/storage/test_tracks.py compare them).
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa

from vatstats_assets.core.movement_rules import DEFAULT_RULES
from vatstats_assets.core.movements import Connection
from vatstats_assets.core.track_columns import TrackColumns, from_micros
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.sql_files import query

# Binary COPY (https://www.postgresql.org/docs/current/sql-copy.html): an 11-byte signature, flags,
# a header-extension length; per row a field count and, per field, its byte length and big-endian
# value; a -1 field count ends the data. An array value is its dimension count, a has-nulls flag,
# the element type, per dimension its size and lower bound, then each element as length and value.
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_INT16 = struct.Struct("!h")
_INT32 = struct.Struct("!i")
_ROW_KEY = struct.Struct("!i i")  # cid: length, value
_LOGON = struct.Struct("!i q")  # logon_time: length, microseconds since 2000-01-01 UTC
_ARRAY_HEADER = struct.Struct("!iiiii")  # dimensions, has nulls, element type, size, lower bound
_ELEMENTS = {  # the arrays of a row in order: the element as sent, the column it becomes
    "observed_at": (np.dtype([("length", ">i4"), ("value", ">i8")]), np.int64),
    "latitude": (np.dtype([("length", ">i4"), ("value", ">f8")]), np.float64),
    "longitude": (np.dtype([("length", ">i4"), ("value", ">f8")]), np.float64),
    "altitude_ft": (np.dtype([("length", ">i4"), ("value", ">i4")]), np.int64),
    "groundspeed_kt": (np.dtype([("length", ">i4"), ("value", ">i4")]), np.int64),
}
_FIELDS = 3 + len(_ELEMENTS)


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
    bounds = {"context_start": start - before, "lookahead_end": end + after}
    plans = {
        (r.cid, r.callsign, r.logon_time): r
        for r in conn.execute(sa.text(query("track_connections")), bounds)
    }
    connections: list[Connection] = []
    total = 0
    for cid, callsign, logon_time, points in _connection_tracks(conn, bounds):
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


def _connection_tracks(conn: sa.Connection, bounds: dict[str, datetime]) -> Iterator[
        tuple[int, str, datetime, TrackColumns]]:
    """track_window_arrays.sql's rows: (cid, callsign, logon_time, samples) per connection."""
    # COPY takes no bound parameters: psycopg2 quotes the two timestamps into the statement.
    select = re.sub(r":(context_start|lookahead_end)\b", r"%(\1)s", query("track_window_arrays").strip())
    buffer = io.BytesIO()
    with collector_paused(), conn.connection.cursor() as cursor:  # type: ignore[attr-defined]
        statement = cursor.mogrify(select, bounds).decode()
        cursor.copy_expert(f"COPY ({statement}) TO STDOUT (FORMAT binary)", buffer)
    data = buffer.getbuffer()
    if bytes(data[:len(_SIGNATURE)]) != _SIGNATURE:
        raise RuntimeError("track_window_arrays.sql: not a binary COPY result")
    position = len(_SIGNATURE) + 4
    (extension,) = _INT32.unpack_from(data, position)
    position += 4 + extension
    while True:
        (fields,) = _INT16.unpack_from(data, position)
        position += 2
        if fields == -1:
            return
        if fields != _FIELDS:
            raise RuntimeError(f"track_window_arrays.sql: a row of {fields} fields, not {_FIELDS}")
        _, cid = _ROW_KEY.unpack_from(data, position)
        (length,) = _INT32.unpack_from(data, position + 8)
        callsign = bytes(data[position + 12:position + 12 + length]).decode()
        position += 12 + length
        _, logon_micros = _LOGON.unpack_from(data, position)
        position += 12
        columns = []
        for name, (element, column_type) in _ELEMENTS.items():
            (length,) = _INT32.unpack_from(data, position)
            dimensions, _, _, size, _ = _ARRAY_HEADER.unpack_from(data, position + 4)
            if dimensions != 1:
                raise RuntimeError(f"track_window_arrays.sql: {name} is not a one-dimensional array")
            elements = np.frombuffer(data, dtype=element, count=size, offset=position + 4 + _ARRAY_HEADER.size)
            if not (elements["length"] == element["value"].itemsize).all():
                raise RuntimeError(f"track_window_arrays.sql: {name} holds a NULL or a value of another type")
            columns.append(elements["value"].astype(column_type))
            position += 4 + length
        track = TrackColumns(*columns)
        micros = track.micros
        if len(micros) > 1 and not (micros[1:] > micros[:-1]).all():
            track = track.take(np.argsort(micros, kind="stable"))
        yield cid, callsign, from_micros(logon_micros), track
