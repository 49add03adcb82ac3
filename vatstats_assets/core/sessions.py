"""Controller sessions: connections merged across short reconnects, and minutes online per UTC day.

A controller whose client drops and who logs on again on the same callsign a few minutes later is
still working the same session. Each connection is known by its logon time and the last snapshot it
was seen in; a session is a run of such connections with gaps of at most `max_gap` between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

DEFAULT_MAX_GAP = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class ControllerConnection:
    callsign: str
    cid: int
    logon_time: datetime
    last_seen: datetime
    facility: int
    rating: int


@dataclass(frozen=True, slots=True)
class ControllerDay:
    date: date
    callsign: str
    cid: int
    facility: int
    rating: int
    sessions: int
    minutes_online: float


@dataclass(frozen=True, slots=True)
class _Session:
    start: datetime
    end: datetime
    members: tuple[ControllerConnection, ...]  # by logon time; the last one is the latest


def merge_sessions(
    conns: Iterable[ControllerConnection], *, max_gap: timedelta = DEFAULT_MAX_GAP
) -> list[tuple[datetime, datetime, ControllerConnection]]:
    """Sessions as (start, end, latest connection), one per run of connections of the same cid on
    the same callsign whose gaps are at most `max_gap`; ordered by start, callsign, cid."""
    return [(session.start, session.end, session.members[-1]) for session in _sessions(conns, max_gap)]


def controller_days(
    conns: Iterable[ControllerConnection], *, day: date, max_gap: timedelta = DEFAULT_MAX_GAP
) -> list[ControllerDay]:
    """Per (callsign, cid): the sessions overlapping the UTC `day` and the minutes online within it.

    A session crossing midnight counts on both days, each with its own share of the minutes, so a
    controller can never have more than 1,440 minutes in a day. Facility and rating are those of the
    latest connection that was online on the day. Ordered by callsign, cid.
    """
    day_start = datetime.combine(day, time.min, tzinfo=UTC)
    day_end = day_start + timedelta(days=1)
    totals: dict[tuple[str, int], tuple[int, float, ControllerConnection]] = {}
    for session in _sessions(conns, max_gap):
        if not _overlaps(session.start, session.end, day_start, day_end):
            continue
        seconds = (min(session.end, day_end) - max(session.start, day_start)).total_seconds()
        latest = _latest_online(session, day_start, day_end)
        key = (session.members[-1].callsign, session.members[-1].cid)
        count, total, representative = totals.get(key, (0, 0.0, latest))
        if latest.logon_time >= representative.logon_time:
            representative = latest
        totals[key] = (count + 1, total + max(seconds, 0.0), representative)
    return [
        ControllerDay(
            date=day,
            callsign=callsign,
            cid=cid,
            facility=representative.facility,
            rating=representative.rating,
            sessions=count,
            minutes_online=total / 60.0,
        )
        for (callsign, cid), (count, total, representative) in sorted(totals.items())
    ]


def _sessions(conns: Iterable[ControllerConnection], max_gap: timedelta) -> list[_Session]:
    by_position: dict[tuple[str, int], list[ControllerConnection]] = {}
    for connection in conns:
        if connection.logon_time.tzinfo is None or connection.last_seen.tzinfo is None:
            raise ValueError(
                f"Controller connection {connection.callsign} ({connection.cid}) has times without a timezone;"
                " give them as timezone-aware UTC datetimes."
            )
        by_position.setdefault((connection.callsign, connection.cid), []).append(connection)

    sessions: list[_Session] = []
    for connections in by_position.values():
        connections.sort(key=lambda c: (c.logon_time, c.last_seen))
        members = [connections[0]]
        start, end = connections[0].logon_time, _end_of(connections[0])
        for connection in connections[1:]:
            if connection.logon_time - end <= max_gap:
                members.append(connection)
                end = max(end, _end_of(connection))
            else:
                sessions.append(_Session(start, end, tuple(members)))
                members = [connection]
                start, end = connection.logon_time, _end_of(connection)
        sessions.append(_Session(start, end, tuple(members)))
    sessions.sort(key=lambda s: (s.start, s.members[-1].callsign, s.members[-1].cid))
    return sessions


def _end_of(connection: ControllerConnection) -> datetime:
    # A connection seen once has last_seen == logon_time (or, with clock skew, slightly before it).
    return max(connection.logon_time, connection.last_seen)


def _overlaps(start: datetime, end: datetime, day_start: datetime, day_end: datetime) -> bool:
    """Whether a session shares time with the day; a session of no length counts where it starts."""
    return start < day_end and (end > day_start or start >= day_start)


def _latest_online(session: _Session, day_start: datetime, day_end: datetime) -> ControllerConnection:
    """The session's latest connection that was online during the day (for facility and rating)."""
    for connection in reversed(session.members):
        if _overlaps(connection.logon_time, _end_of(connection), day_start, day_end):
            return connection
    return session.members[-1]
