"""Load the track history of a time window as `core.movements.Connection`s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from bench.baseline.movements import Connection, TrackPoint
from vatstats_assets.core.movement_rules import DEFAULT_RULES
from vatstats_assets.storage.sql_files import query


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
    points: list[TrackPoint] = []
    current_key = None
    total = 0

    def close_connection() -> None:
        if current_key is None:
            return
        plan = plans.get(current_key)
        connections.append(Connection(
            cid=current_key[0], callsign=current_key[1], logon_time=current_key[2],
            aircraft_type=plan.aircraft_type if plan else None,
            filed_departure=plan.departure if plan else None,
            filed_arrival=plan.arrival if plan else None,
            points=tuple(points),
        ))

    # Streamed (server-side cursor): a day can hold millions of points.
    result = conn.execution_options(stream_results=True, max_row_buffer=20_000).execute(
        sa.text(query("track_window")), bounds
    )
    for cid, callsign, logon_time, observed_at, lat, lon, alt, gs in result:
        key = (cid, callsign, logon_time)
        if key != current_key:
            close_connection()
            current_key, points = key, []
        points.append(TrackPoint(observed_at, lat, lon, alt, gs))
        total += 1
    close_connection()
    rules = {key: plan.flight_rules for key, plan in plans.items()}
    return TrackWindow(connections, rules, total)
