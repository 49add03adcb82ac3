"""Day partitions of the range-partitioned tables, created ahead and dropped for retention.

Creating a partition takes an exclusive lock on its parent, so the maintenance asset creates them
ahead of time; the ingest path only checks (a catalog lookup) and creates one as a logged fallback.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from vatstats_assets.storage.tables import SCHEMA, TABLES


def day_partitioned_tables() -> list[str]:
    return [name for name, spec in TABLES.items() if spec.day_partitioned]


def partition_name(table: str, day: date) -> str:
    return f"{table}_p{day:%Y%m%d}"


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def ensure_partitions(conn: sa.Connection, first: date, last: date, tables: list[str] | None = None) -> list[str]:
    """Create missing day partitions for every day in [first, last]; returns the ones created."""
    created = []
    for table in tables or day_partitioned_tables():
        for day in days_between(first, last):
            made = conn.execute(
                sa.text("SELECT vatstats.ensure_day_partition(:parent, :day)"), {"parent": table, "day": day}
            ).scalar()
            if made:
                created.append(partition_name(table, day))
    return created


def missing_partitions(conn: sa.Connection, days: list[date], tables: list[str]) -> list[tuple[str, date]]:
    """Which (table, day) partitions do not exist yet: one catalog query, no lock."""
    wanted = [(t, d, f"{SCHEMA}.{partition_name(t, d)}") for t in tables for d in days]
    if not wanted:
        return []
    present = conn.execute(
        sa.text("SELECT name FROM unnest(CAST(:names AS text[])) AS name WHERE to_regclass(name) IS NOT NULL"),
        {"names": [w[2] for w in wanted]},
    ).scalars().all()
    return [(t, d) for t, d, full in wanted if full not in set(present)]


def existing_partition_days(conn: sa.Connection, table: str) -> list[date]:
    rows = conn.execute(
        sa.text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace"
            " WHERE n.nspname = :schema AND p.relname = :parent"
        ),
        {"schema": SCHEMA, "parent": table},
    ).scalars()
    prefix = f"{table}_p"
    days = []
    for name in rows:
        suffix = name.removeprefix(prefix)
        if len(suffix) == 8 and suffix.isdigit():
            days.append(date(int(suffix[:4]), int(suffix[4:6]), int(suffix[6:])))
    return sorted(days)


def drop_partitions_before(conn: sa.Connection, table: str, cutoff: date) -> list[str]:
    """Drop whole day partitions of `table` older than `cutoff` (retention)."""
    dropped = []
    for day in existing_partition_days(conn, table):
        if day < cutoff:
            name = partition_name(table, day)
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {SCHEMA}.{name}")
            dropped.append(name)
    return dropped
