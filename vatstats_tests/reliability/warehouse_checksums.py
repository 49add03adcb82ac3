"""md5 checksums of whole warehouse tables: equal checksums, identical contents."""

from __future__ import annotations

import sqlalchemy as sa

from vatstats_assets.storage.tables import TABLES

# Set when a row is written, not by the data: they differ between two correct ingests of the
# same snapshots, so comparisons across databases leave them out.
WRITE_TIME_COLUMNS = {"feed_snapshots": ("fetched_at", "stored_at", "source")}


def table_checksum(conn: sa.Connection, table: str, leave_out: tuple[str, ...] = ()) -> str:
    """md5 of every row of `vatstats.<table>` (a project constant) as text, in a fixed order."""
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
        f" FROM vatstats.{table}"
    )).scalar_one()


def warehouse_checksums(engine: sa.Engine, *, across_databases: bool = False) -> dict[str, str]:
    """Checksums of every warehouse table; `across_databases` leaves out write-time columns."""
    with engine.connect() as conn:
        return {
            table: table_checksum(conn, table, WRITE_TIME_COLUMNS.get(table, ()) if across_databases else ())
            for table in TABLES
        }


def row_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table: conn.execute(sa.text(f"SELECT count(*) FROM vatstats.{table}")).scalar_one() for table in TABLES}
