"""Load the track history of a time window as `core.movements.Connection`s.

The positions come by binary COPY straight into numpy columns (`core.track_columns.TrackColumns`):
a 1,500-pilot day is 8-9 million rows, and building a Python object per row (a tz-aware datetime, a
TrackPoint) used to take most of a backfill's time. The rows, their order and their values are the
same as track_window.sql's.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa

from vatstats_assets.core.movement_rules import DEFAULT_RULES
from vatstats_assets.core.movements import Connection
from vatstats_assets.core.track_columns import TrackColumns
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.sql_files import query

# Binary COPY: an 11-byte signature, flags and header-extension length, then per row a field count
# and, per field, its length and big-endian value; a -1 field count ends the data.
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_HEADER_BYTES = 19
_TRAILER_BYTES = 2
_ROW = np.dtype([
    ("fields", ">i2"),
    ("cid_len", ">i4"), ("cid", ">i4"),
    ("observed_at_len", ">i4"), ("observed_at", ">i8"),
    ("latitude_len", ">i4"), ("latitude", ">f8"),
    ("longitude_len", ">i4"), ("longitude", ">f8"),
    ("altitude_ft_len", ">i4"), ("altitude_ft", ">i4"),
    ("groundspeed_kt_len", ">i4"), ("groundspeed_kt", ">i4"),
])
_WIDTHS = {"cid_len": 4, "observed_at_len": 8, "latitude_len": 8, "longitude_len": 8, "altitude_ft_len": 4,
           "groundspeed_kt_len": 4}


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
    # Three statements must see the same rows while ingest keeps writing: one snapshot for all.
    owned = None
    if not conn.in_transaction():
        owned = conn.begin()
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    try:
        plans = {
            (r.cid, r.callsign, r.logon_time): r
            for r in conn.execute(sa.text(query("track_connections")), bounds)
        }
        keys = conn.execute(sa.text(query("track_window_keys")), bounds).all()
        columns, cids = _window_columns(conn, bounds)
    finally:
        if owned is not None:
            owned.commit()
    counts = np.array([key.points for key in keys], dtype=np.int64)
    if int(counts.sum()) != len(cids) or not np.array_equal(np.repeat([key.cid for key in keys], counts), cids):
        raise RuntimeError("track_window_keys and track_window_columns saw different positions; load again")
    ends = np.cumsum(counts)
    connections: list[Connection] = []
    for key, stop in zip(keys, ends.tolist(), strict=True):
        plan = plans.get((key.cid, key.callsign, key.logon_time))
        connections.append(Connection(
            cid=key.cid, callsign=key.callsign, logon_time=key.logon_time,
            aircraft_type=plan.aircraft_type if plan else None,
            filed_departure=plan.departure if plan else None,
            filed_arrival=plan.arrival if plan else None,
            points=columns[stop - key.points:stop],
        ))
    rules = {key: plan.flight_rules for key, plan in plans.items()}
    return TrackWindow(connections, rules, len(cids))


def _window_columns(conn: sa.Connection, bounds: dict[str, datetime]) -> tuple[TrackColumns, np.ndarray]:
    """track_window_columns.sql's rows as columns, and their cids."""
    # COPY takes no bound parameters: psycopg2 quotes the two timestamps into the statement.
    select = re.sub(r":(context_start|lookahead_end)\b", r"%(\1)s", query("track_window_columns").strip())
    buffer = io.BytesIO()
    with collector_paused(), conn.connection.cursor() as cursor:  # type: ignore[attr-defined]
        statement = cursor.mogrify(select, bounds).decode()
        cursor.copy_expert(f"COPY ({statement}) TO STDOUT (FORMAT binary)", buffer)
    data = buffer.getbuffer()
    body = len(data) - _HEADER_BYTES - _TRAILER_BYTES
    if bytes(data[:len(_SIGNATURE)]) != _SIGNATURE or body % _ROW.itemsize:
        raise RuntimeError("unexpected binary COPY layout from track_window_columns.sql")
    rows = np.frombuffer(data, dtype=_ROW, count=body // _ROW.itemsize, offset=_HEADER_BYTES)
    if len(rows) and (not (rows["fields"] == 6).all()
                      or any(not (rows[name] == width).all() for name, width in _WIDTHS.items())):
        raise RuntimeError("unexpected field widths from track_window_columns.sql")
    columns = TrackColumns(
        rows["observed_at"].astype(np.int64), rows["latitude"].astype(np.float64),
        rows["longitude"].astype(np.float64), rows["altitude_ft"].astype(np.int64),
        rows["groundspeed_kt"].astype(np.int64),
    )
    return columns, rows["cid"].astype(np.int64)
