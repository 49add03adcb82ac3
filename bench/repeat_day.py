"""Repeat a stored day of the ingest tables into the days after it: a week of full days from one
simulated day, for measuring week-long backfills without simulating and replaying seven days.

`python -m bench.repeat_day --database-url URL --day 2026-11-20 --copies 6` copies every row of the
day (feed_snapshots with their bodies, flights, atc_positions, flight_positions, transceiver_tunings)
to each of the next COPIES days, every timestamp moved by whole days (logon times too, so each copy is
a day of new connections by the same members). Rows are chosen by when they were first seen (a
connection crossing the day's end is copied whole, as it was stored); the copies are what a day of
the same schedule ingested live would hold, except for what crosses the midnights between copies (a
connection of the day's last minutes and one of the copy's first are two connections). The raw bodies
are copied as stored, so they still say the original day: the rebuild from raw skips every snapshot
of a copy as holding another snapshot's body (storage/rebuild.py), so never rebuild a copied day. A bench tool, never
run on a warehouse anyone reads.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_assets.storage.partitions import ensure_partitions

# The tables and the column that places a row in the day (a partition key or the first sighting).
TABLES = {
    "feed_snapshots": "update_timestamp",
    "flights": "first_seen",
    "atc_positions": "first_seen",
    "flight_positions": "observed_at",
    "transceiver_tunings": "first_seen",
}
PARTITIONED = ("feed_snapshots", "flight_positions")


def copy_statement(conn: sa.Connection, table: str) -> str:
    """INSERT .. SELECT of `table`'s rows of [:start, :end), timestamptz columns moved by :shift."""
    columns = conn.execute(sa.text(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'vatstats'"
        " AND table_name = :table AND is_generated = 'NEVER' ORDER BY ordinal_position"), {"table": table}).all()
    names = ", ".join(c.column_name for c in columns)
    values = ", ".join(f"{c.column_name} + CAST(:shift AS interval)" if c.data_type == "timestamp with time zone"
                       else c.column_name for c in columns)
    return (f"INSERT INTO vatstats.{table} ({names}) SELECT {values} FROM vatstats.{table}"
            f" WHERE {TABLES[table]} >= :start AND {TABLES[table]} < :end ON CONFLICT DO NOTHING")


def repeat_day(engine: sa.Engine, day: date, copies: int) -> None:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    with engine.begin() as conn:
        ensure_partitions(conn, day, day + timedelta(days=copies + 1), list(PARTITIONED))
        statements = {table: copy_statement(conn, table) for table in TABLES}
    for copy in range(1, copies + 1):
        started = time.perf_counter()
        with engine.begin() as conn:
            for statement in statements.values():
                conn.execute(sa.text(statement), {"start": start, "end": start + timedelta(days=1),
                                                  "shift": f"{copy} days"})
        print(f"{day + timedelta(days=copy)}: copied in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with engine.begin() as conn:  # the planner's row counts for the copies (autovacuum would take a while)
        conn.execute(sa.text("ANALYZE"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.repeat_day", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the warehouse (postgresql+psycopg2://...)")
    parser.add_argument("--day", required=True, type=date.fromisoformat, help="the stored day, YYYY-MM-DD")
    parser.add_argument("--copies", type=int, default=6, help="days after it to fill (default: 6)")
    args = parser.parse_args(argv)
    if args.copies < 1:
        parser.error("--copies must be at least 1")
    repeat_day(create_warehouse_engine(args.database_url), args.day, args.copies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
