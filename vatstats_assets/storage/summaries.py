"""Reading what the daily summaries are made of, and checking the tables they and the movements fill.

Each function is one query (bound values; identifiers only from TableSpec constants) and returns
plain rows; the Dagster assets and checks in `defs/summaries` turn them into frames and results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from vatstats_assets.core.flight_coverage import PilotKey
from vatstats_assets.core.sessions import DEFAULT_MAX_GAP, ControllerConnection
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import NETWORK_DAILY_STATS, TableSpec

Row = tuple[Any, ...]


def movement_summary_rows(conn: sa.Connection, start: datetime, end: datetime) -> list[Row]:
    """Movement counts per (date, airport, hour, movement_type, aircraft_type) for [start, end),
    in MOVEMENT_SUMMARIES column order."""
    return [tuple(r) for r in conn.execute(sa.text(query("movement_summaries")), {"start": start, "end": end})]


def controller_connections(
    conn: sa.Connection, day_start: datetime, day_end: datetime, *, max_gap: timedelta = DEFAULT_MAX_GAP
) -> list[ControllerConnection]:
    """Controller connections (no ATIS) online during [day_start, day_end) or within `max_gap` of it,
    so a session merged across a reconnect around midnight is complete."""
    bounds = {"context_start": day_start - max_gap, "context_end": day_end + max_gap}
    return [
        ControllerConnection(
            callsign=r.callsign, cid=r.cid, logon_time=r.logon_time, last_seen=r.last_seen,
            facility=r.facility, rating=r.rating,
        )
        for r in conn.execute(sa.text(query("controller_connections")), bounds)
    ]


@dataclass(frozen=True)
class ConnectionContacts:
    last_seen: datetime
    contacts: list[tuple[int, datetime, datetime]]  # facility, started_at, ended_at


def flight_contacts(conn: sa.Connection, pilots: list[PilotKey]) -> dict[PilotKey, ConnectionContacts]:
    """Each listed pilot connection's last_seen and all its ATC contacts (flight_contacts.sql)."""
    found: dict[PilotKey, ConnectionContacts] = {}
    rows = conn.execute(sa.text(query("flight_contacts")), {
        "cids": [p[0] for p in pilots], "callsigns": [p[1] for p in pilots], "logon_times": [p[2] for p in pilots]})
    for r in rows:
        entry = found.setdefault((r.cid, r.callsign, r.logon_time), ConnectionContacts(r.last_seen, []))
        if r.started_at is not None:
            entry.contacts.append((r.facility, r.started_at, r.ended_at))
    return found


def controller_contacts(conn: sa.Connection, day_start: datetime, day_end: datetime
                        ) -> dict[tuple[str, int], list[tuple[PilotKey, datetime, datetime]]]:
    """A day's contacts per (controller callsign, cid): (pilot connection, started_at, ended_at) each."""
    found: dict[tuple[str, int], list[tuple[PilotKey, datetime, datetime]]] = {}
    for r in conn.execute(sa.text(query("controller_contacts")), {"day_start": day_start, "day_end": day_end}):
        found.setdefault((r.atc_callsign, r.atc_cid), []).append(
            ((r.pilot_cid, r.pilot_callsign, r.pilot_logon_time), r.started_at, r.ended_at))
    return found


def network_day_row(conn: sa.Connection, day: date, day_start: datetime, day_end: datetime) -> Row:
    """One row of network_daily_stats for `day`, in NETWORK_DAILY_STATS column order."""
    row = conn.execute(
        sa.text(query("network_daily_stats")), {"day": day, "day_start": day_start, "day_end": day_end}
    ).one()
    return tuple(row._mapping[c] for c in NETWORK_DAILY_STATS.columns)


# --- table health (asset checks) ---------------------------------------------------------------


def _window_bounds(spec: TableSpec, start: datetime, end: datetime) -> dict[str, Any]:
    if spec.window_is_date:
        return {"start": start.date(), "end": end.date()}
    return {"start": start, "end": end}


def duplicate_keys(conn: sa.Connection, spec: TableSpec, start: datetime, end: datetime) -> int:
    """Rows in [start, end) of the spec's window column that repeat another row's key."""
    key = ", ".join(spec.key)
    col = spec.window_column
    return int(conn.execute(
        sa.text(
            f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {spec.qualified}"
            f" WHERE {col} >= :start AND {col} < :end GROUP BY {key} HAVING count(*) > 1) AS repeated"
        ),
        _window_bounds(spec, start, end),
    ).scalar_one())


@dataclass(frozen=True)
class OutsideRows:
    count: int
    earliest: Any  # the earliest and latest offending window values, for the check's metadata
    latest: Any


def rows_outside(conn: sa.Connection, spec: TableSpec, first: datetime, end: datetime) -> OutsideRows:
    """Rows whose window value lies before `first` or at/after `end`: outside every partition, so
    no partition run would ever replace them."""
    col = spec.window_column
    row = conn.execute(
        sa.text(
            f"SELECT count(*), min({col}), max({col}) FROM {spec.qualified}"
            f" WHERE {col} < :start OR {col} >= :end"
        ),
        _window_bounds(spec, first, end),
    ).one()
    return OutsideRows(int(row[0]), row[1], row[2])


def arrivals_and_flights(conn: sa.Connection, start: datetime, end: datetime) -> tuple[int, int]:
    """(arrivals detected, pilot connections seen) in [start, end)."""
    row = conn.execute(sa.text(query("arrivals_and_flights")), {"start": start, "end": end}).one()
    return int(row.arrivals), int(row.flights_seen)


def busiest_controller_day(conn: sa.Connection, start: date, end: date) -> tuple[date, int, float] | None:
    """(date, cid, minutes) of the controller with the most minutes on one day in [start, end)."""
    row = conn.execute(sa.text(query("controller_day_minutes")), {"start": start, "end": end}).first()
    return (row.date, int(row.cid), float(row.minutes_online)) if row else None


def latest_snapshot_at(conn: sa.Connection) -> datetime | None:
    """The newest stored snapshot's update_timestamp (an index lookup on the primary key)."""
    return conn.execute(sa.text("SELECT max(update_timestamp) FROM vatstats.feed_snapshots")).scalar()
