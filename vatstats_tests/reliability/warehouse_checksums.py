"""md5 checksums of whole warehouse tables: equal checksums, identical contents."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from vatstats_assets.storage.ingest import INGEST_WRITES
from vatstats_assets.storage.tables import TABLES

# The tables one tick of ingestion writes.
INGEST_TABLES = tuple(table.name for _, table in INGEST_WRITES.values())

# Set when a row is written, not by the data: they differ between two correct ingests of the
# same snapshots, so comparisons across databases leave them out. The compressed raw body is
# compared: zstd's output depends on the input alone.
WRITE_TIME_COLUMNS = {"feed_snapshots": ("fetched_at", "stored_at", "source")}


def table_checksum(
    conn: sa.Connection, table: str, leave_out: tuple[str, ...] = (), *, where: str = "TRUE",
    params: dict | None = None,
) -> str:
    """md5 of the rows of `vatstats.<table>` (a project constant) matching `where`, as text, in a fixed order."""
    columns = conn.execute(
        sa.text(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'vatstats' AND table_name = :table ORDER BY ordinal_position"
        ),
        {"table": table},
    ).scalars().all()
    kept = ", ".join(c for c in columns if c not in leave_out)
    row_text = f"ROW({kept})::text"
    return conn.execute(sa.text(
        f"SELECT coalesce(md5(string_agg({row_text}, E'\\n' ORDER BY {row_text})), 'empty')"
        f" FROM vatstats.{table} WHERE {where}"
    ), params or {}).scalar_one()


def warehouse_checksums(
    engine: sa.Engine, tables: Iterable[str] = TABLES, *, across_databases: bool = False
) -> dict[str, str]:
    """Checksums of warehouse tables (all by default); `across_databases` leaves out write-time columns."""
    with engine.connect() as conn:
        return {
            table: table_checksum(conn, table, WRITE_TIME_COLUMNS.get(table, ()) if across_databases else ())
            for table in tables
        }


def row_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table: conn.execute(sa.text(f"SELECT count(*) FROM vatstats.{table}")).scalar_one() for table in TABLES}
