"""The bulk writer: COPY into PostgreSQL, then one set-based statement per table.

Three ways a frame of rows lands (chosen by the asset's metadata, applied by the IO manager):
- upsert:   COPY into a session temp table, then one INSERT .. SELECT .. ON CONFLICT DO UPDATE
            .. WHERE stored IS DISTINCT FROM new (unchanged rows are not rewritten);
- append:   COPY straight into the table; or, for StagedRows (rows another write of the same
            transaction has staged: a tick's track positions are its flights' positions), the
            table spec's append query, one INSERT .. SELECT from that stage (only those that moved);
- replace_window: DELETE the partition's time window, then COPY; in the caller's transaction, so
            a re-run or backfill of a day is idempotent and never half-visible.
No statement is issued per row, and every identifier comes from a TableSpec constant.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import psycopg2
import sqlalchemy as sa

from vatstats_assets.storage.copy_binary import copy_binary
from vatstats_assets.storage.copy_format import CopyStream
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import TableSpec

if TYPE_CHECKING:  # pandas takes 0.2 s to import: the ingest and replay paths never pass a DataFrame
    import pandas as pd


@dataclass(frozen=True)
class WriteCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def written(self) -> int:
        return self.inserted + self.updated

    def as_metadata(self) -> dict[str, int]:
        return {
            "rows_inserted": self.inserted,
            "rows_updated": self.updated,
            "rows_unchanged": self.unchanged,
            "rows_deleted": self.deleted,
        }


@dataclass(frozen=True)
class TableRows:
    """Rows already in a table's column order: the ingest path's output, with no DataFrame to build
    and take apart again every 15 seconds (taking them apart alone cost 35-60 ms of a 4,000-pilot
    tick)."""

    columns: tuple[str, ...]
    rows: Sequence[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class StagedRows:
    """This table's rows are in another table's stage already (`stage_<source>`, filled by an
    upsert earlier in the same transaction): the table spec's append query derives them in SQL,
    so they are neither built in Python nor sent twice."""

    source: str
    count: int  # rows staged, of which the append query keeps those worth keeping

    def __len__(self) -> int:
        return self.count


Rows: TypeAlias = "pd.DataFrame | TableRows"


def rows_in_order(data: Rows, columns: Sequence[str]) -> Sequence[tuple[Any, ...]]:
    """`data`'s rows as tuples in `columns` order, from a DataFrame or TableRows."""
    if isinstance(data, TableRows):
        if tuple(data.columns) != tuple(columns):
            raise ValueError(f"rows have columns {list(data.columns)}, expected {list(columns)}")
        return data.rows
    return frame_rows(data, columns)


def frame_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """The frame's rows in `columns` order, as plain Python values (NaN/NaT become None)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns {missing}")
    ordered = frame[list(columns)]
    if ordered.empty:
        return []
    return list(ordered.astype(object).where(ordered.notna(), None).itertuples(index=False, name=None))


def copy_rows(
    conn: sa.Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
    types: Sequence[str] | None = None,
) -> int:
    """COPY rows into `table` (a trusted identifier) in the connection's transaction: in binary
    when the columns' `types` are given (TableSpec.copy_types), else as text."""
    if not rows:
        return 0
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    # psycopg2's cursor is a context manager; SQLAlchemy's DBAPICursor protocol does not say so.
    with collector_paused(), conn.connection.cursor() as cursor:  # type: ignore[attr-defined]
        if types is not None:
            cursor.copy_expert(statement + " (FORMAT binary)", io.BytesIO(copy_binary(rows, types)))
            return len(rows)
        stream = CopyStream(rows)
        try:
            cursor.copy_expert(statement, stream)
        except psycopg2.Error:
            if stream.error is not None:  # e.g. a NUL in a text: say that, not "COPY failed"
                raise stream.error from None
            raise
    return len(rows)


def copy_text_lines(conn: sa.Connection, table: str, columns: Sequence[str], text: str) -> None:
    """COPY rows already written as COPY text (copy_format.copy_text, one line each) into `table`."""
    if text:
        with conn.connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text))


def stage_table(conn: sa.Connection, spec: TableSpec) -> str:
    """A session temp table shaped like the target, kept for the connection's life.

    ON COMMIT DELETE ROWS empties it at every commit (a rollback discards its rows anyway), so it
    is never truncated; when it exists already, CREATE .. IF NOT EXISTS is one catalog lookup.
    """
    stage = f"stage_{spec.name}"
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {spec.qualified} INCLUDING DEFAULTS)"
        " ON COMMIT DELETE ROWS"
    )
    return stage


def upsert_sql(spec: TableSpec, stage: str) -> str:
    """One statement: merge the stage into the table; returns (rows written, rows already stored).

    Only rows the merge would change are rewritten: the stored values are compared (IS DISTINCT
    FROM) with what the SET would make of them, so an unchanged row, or a snapshot written again,
    costs a comparison, not a new row version.
    """
    columns = ", ".join(spec.columns)
    key = ", ".join(spec.key)
    merged = {c: spec.merge.get(c, f"EXCLUDED.{c}") for c in spec.updatable}
    assignments = ", ".join(f"{c} = {value}" for c, value in merged.items())
    stored = ", ".join(f"t.{c}" for c in spec.updatable)
    incoming = ", ".join(merged.values())
    merge = (
        f"INSERT INTO {spec.qualified} AS t ({columns}) SELECT {columns} FROM {stage}"
        f" ON CONFLICT ({key}) DO UPDATE SET {assignments}"
        f" WHERE ({stored}) IS DISTINCT FROM ({incoming})"
    )
    if not spec.day_partitioned:
        # A row the statement inserted has no xmax yet; an updated one carries the updating
        # transaction's. This spares a join of the stage with the whole table.
        return (
            f"WITH written AS ({merge} RETURNING (t.xmax = 0) AS inserted)"
            f" SELECT count(*), (SELECT count(*) FROM {stage}) - count(*) FILTER (WHERE inserted) FROM written"
        )
    # xmax cannot be read through a partitioned table: count the keys already stored instead. All
    # parts of one statement see the table as it was before it.
    return (
        f"WITH existing AS (SELECT count(*) AS n FROM {stage} JOIN {spec.qualified} USING ({key})),"
        f" written AS ({merge} RETURNING 1)"
        f" SELECT (SELECT count(*) FROM written), (SELECT n FROM existing)"
    )


def upsert(conn: sa.Connection, spec: TableSpec, data: Rows) -> WriteCounts:
    rows = rows_in_order(data, spec.columns)
    if not rows:
        return WriteCounts()
    stage = stage_table(conn, spec)
    copy_rows(conn, stage, spec.columns, rows, spec.copy_types)
    written, existing = conn.exec_driver_sql(upsert_sql(spec, stage)).one()
    inserted = len(rows) - existing
    updated = written - inserted
    return WriteCounts(inserted=inserted, updated=updated, unchanged=existing - updated)


def append(conn: sa.Connection, spec: TableSpec, data: Rows | StagedRows) -> WriteCounts:
    if isinstance(data, StagedRows):
        return append_staged(conn, spec, data)
    rows = rows_in_order(data, spec.columns)
    return WriteCounts(inserted=copy_rows(conn, spec.qualified, spec.columns, rows, spec.copy_types))


def append_staged(conn: sa.Connection, spec: TableSpec, staged: StagedRows) -> WriteCounts:
    """Run the spec's append query over the rows `staged.source`'s upsert left in its stage."""
    statement = query(spec.append_query) if spec.append_query else ""
    if f"stage_{staged.source}" not in statement:
        raise ValueError(f"{spec.qualified} has no append query that takes rows from stage_{staged.source}")
    if not staged.count:
        return WriteCounts()
    inserted = conn.execute(sa.text(statement)).rowcount
    return WriteCounts(inserted=inserted, unchanged=staged.count - inserted)


def replace_window(
    conn: sa.Connection, spec: TableSpec, frame: pd.DataFrame, start: datetime, end: datetime
) -> WriteCounts:
    """Delete [start, end) on the spec's window column, then COPY the frame in."""
    if spec.window_column is None:
        raise ValueError(f"{spec.qualified} has no window column to replace")
    rows = frame_rows(frame, spec.columns)
    if spec.window_is_date:
        bounds = {"start": start.date(), "end": end.date()}
    else:
        bounds = {"start": start, "end": end}
    col = spec.window_column
    _check_rows_inside(spec, frame, bounds)
    deleted = conn.execute(
        sa.text(f"DELETE FROM {spec.qualified} WHERE {col} >= :start AND {col} < :end"), bounds
    ).rowcount
    copy_rows(conn, spec.qualified, spec.columns, rows, spec.copy_types)
    return WriteCounts(inserted=len(rows), deleted=deleted)


def replace_table(conn: sa.Connection, spec: TableSpec, frame: pd.DataFrame) -> WriteCounts:
    """Delete every row of a small reference table, then COPY the frame in (same transaction)."""
    rows = frame_rows(frame, spec.columns)
    deleted = conn.execute(sa.text(f"DELETE FROM {spec.qualified}")).rowcount
    copy_rows(conn, spec.qualified, spec.columns, rows, spec.copy_types)
    return WriteCounts(inserted=len(rows), deleted=deleted)


def _check_rows_inside(spec: TableSpec, frame: pd.DataFrame, bounds: dict[str, Any]) -> None:
    """A row outside the window would survive the next replace: refuse it before writing."""
    if frame.empty:
        return
    values = frame[spec.window_column]
    outside = frame[(values < bounds["start"]) | (values >= bounds["end"])]
    if not outside.empty:
        raise ValueError(
            f"{len(outside)} rows for {spec.qualified} fall outside the partition window "
            f"[{bounds['start']}, {bounds['end']})"
        )
