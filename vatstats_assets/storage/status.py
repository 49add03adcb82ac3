"""The live picture of the network (pilots and controllers online, today's traffic) in one query."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from vatstats_assets.storage.sql_files import query


@dataclass(frozen=True)
class NetworkStatus:
    at: datetime  # the moment the figures describe; "today" is its UTC day
    last_snapshot_at: datetime | None  # None: no snapshot stored yet
    last_snapshot_age_s: float | None
    pilots_online: int
    controllers_online: int  # ATIS stations not counted
    flights_today: int  # pilot connections seen today
    movements_today: int
    snapshots_today: int

    def as_json(self) -> dict[str, Any]:
        """Plain JSON types: timestamps as ISO 8601 strings."""
        values = asdict(self)
        for name in ("at", "last_snapshot_at"):
            if values[name] is not None:
                values[name] = values[name].isoformat()
        return values


def network_status(conn: sa.Connection, now: datetime) -> NetworkStatus:
    """The figures at `now` (tz-aware), read in one round trip."""
    if now.tzinfo is None:
        raise ValueError("network_status needs a timezone-aware `now`")
    day_start = datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)
    row = conn.execute(
        sa.text(query("network_status")),
        {"now": now, "day_start": day_start, "day_end": day_start + timedelta(days=1)},
    ).one()
    return NetworkStatus(
        at=now,
        last_snapshot_at=row.last_snapshot_at,
        last_snapshot_age_s=None if row.last_snapshot_age_s is None else round(float(row.last_snapshot_age_s), 1),
        pilots_online=int(row.pilots_online),
        controllers_online=int(row.controllers_online),
        flights_today=int(row.flights_today),
        movements_today=int(row.movements_today),
        snapshots_today=int(row.snapshots_today),
    )
