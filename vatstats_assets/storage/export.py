"""Stream a day of a warehouse table into a Parquet or CSV file, with flat memory, atomically.

Parquet: a server-side cursor hands over `chunk_rows` rows at a time; each chunk becomes one Arrow
record batch with the table's explicit schema (core/exports.py) and is written as one row group,
then dropped. CSV: PostgreSQL writes it (`COPY (SELECT ...) TO STDOUT (FORMAT csv, HEADER)`) and
psycopg2 streams it to the file in 1 MiB pieces. Either way a day of any size needs the memory of
one chunk, never the day's.

Each file is written under a hidden temporary name beside its final one and renamed over it only when
complete, so a reader never sees half a file and an interrupted export (an error, Ctrl-C) leaves the
previous file, or none, and no temporary. A day with no rows still gets its file: an empty Parquet
file with the schema, a CSV file with the header line.

Only SELECT is ever sent, inside a READ ONLY transaction: exports run as the read-only role
`vatstats_reader` or on a replica.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from vatstats_assets.core.exports import ExportRequestError, ExportTable, Format, export_path

# 50,000 rows: a row group of track points is ~2 MB in Arrow, a few hundred KB compressed: large
# enough to compress and scan well, small enough that a day costs one chunk's memory.
CHUNK_ROWS = 50_000
# What psycopg2 hands the CSV file per write.
CSV_CHUNK_BYTES = 1 << 20
TEMPORARY_SUFFIX = ".part"

# Called after each chunk written, with the rows written so far (progress bars, tests).
ChunkHook = Callable[[int], None]


@dataclass(frozen=True)
class ExportedFile:
    table: str
    day: date
    path: Path
    rows: int
    bytes: int
    # The most Arrow memory allocated in this process while the file was written (Parquet; 0 for CSV,
    # which never passes through Arrow): what stays flat however many rows the day holds.
    peak_arrow_bytes: int = 0


def check_folder(folder: Path) -> Path:
    """`folder` as an absolute path if files can be written under it (it may not exist yet: its
    nearest existing parent must then be a writable folder). Creates nothing."""
    folder = folder.expanduser().absolute()
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ExportRequestError(f"{str(existing)!r} is not a folder, so {str(folder)!r} cannot be written")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ExportRequestError(f"the folder {str(existing)!r} is not writable")
    return folder


@contextmanager
def _atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed to it once the block completes, removed otherwise.
    Hidden and ending in .part, so no `*.parquet` or `*.csv` pattern ever matches it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}{TEMPORARY_SUFFIX}")
    try:
        yield temporary
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)  # the data is on disk before the name says the file is complete
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _begin_read_only(conn: sa.Connection) -> None:
    # The first statement of the transaction: nothing in it can write, whoever the user is.
    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
    # Timestamps arrive as UTC datetimes (Parquet stores instants either way; this saves conversions).
    conn.exec_driver_sql("SET LOCAL TimeZone = 'UTC'")
    # A day of global tracks is millions of rows: the reader role's 60 s limit is for dashboards'
    # runaway queries, not for a deliberate export, whose CSV COPY is a single statement.
    conn.exec_driver_sql("SET LOCAL statement_timeout = 0")


def _write_parquet(
    conn: sa.Connection, table: ExportTable, day: date, path: Path, chunk_rows: int, on_chunk: ChunkHook | None
) -> tuple[int, int]:
    """Rows written and the peak Arrow memory seen."""
    schema = table.arrow_schema()
    rows = 0
    peak = pa.total_allocated_bytes()
    # A server-side cursor (psycopg2's named cursor) fetching chunk_rows rows at a time: without it the
    # driver would receive the whole day before the first row is handed over.
    result = conn.execution_options(stream_results=True, max_row_buffer=chunk_rows).exec_driver_sql(
        table.select_day("parquet"), table.day_parameters(day)
    )
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for chunk in result.partitions(chunk_rows):
            columns = zip(*chunk, strict=True)
            batch = pa.RecordBatch.from_arrays(
                [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)],
                schema=schema,
            )
            peak = max(peak, pa.total_allocated_bytes())
            # write_table closes a row group per call; write_batch would buffer the whole day into one.
            writer.write_table(pa.Table.from_batches([batch]), row_group_size=chunk_rows)
            peak = max(peak, pa.total_allocated_bytes())
            rows += batch.num_rows
            del batch, chunk
            if on_chunk is not None:
                on_chunk(rows)
    return rows, peak


def _write_csv(conn: sa.Connection, table: ExportTable, day: date, path: Path) -> int:
    """Rows written (PostgreSQL's COPY count)."""
    statement = f"COPY ({table.select_day('csv')}) TO STDOUT WITH (FORMAT csv, HEADER)"
    # psycopg2's cursor is a context manager; SQLAlchemy's DBAPICursor protocol does not say so.
    with conn.connection.cursor() as cursor, path.open("wb") as file:  # type: ignore[attr-defined]
        # COPY takes no bind parameters: psycopg2 quotes the day's bounds client-side, as it does for every
        # statement it sends.
        cursor.copy_expert(cursor.mogrify(statement, table.day_parameters(day)).decode(), file, size=CSV_CHUNK_BYTES)
        return int(cursor.rowcount)


def export_day(
    engine: sa.Engine,
    table: ExportTable,
    day: date,
    fmt: Format,
    folder: Path,
    *,
    chunk_rows: int = CHUNK_ROWS,
    on_chunk: ChunkHook | None = None,
) -> ExportedFile:
    """Write `table`'s rows of the UTC day `day` to `folder/<table>/<table>_<day>.<fmt>`, replacing
    the file if it exists."""
    path = export_path(folder, table.name, day, fmt)
    peak = 0
    with engine.connect() as conn, _atomic_file(path) as temporary:
        _begin_read_only(conn)
        if fmt == "parquet":
            rows, peak = _write_parquet(conn, table, day, temporary, chunk_rows, on_chunk)
        else:
            rows = _write_csv(conn, table, day, temporary)
            if on_chunk is not None:
                on_chunk(rows)
        conn.rollback()  # it only read
    return ExportedFile(table.name, day, path, rows, path.stat().st_size, peak)


def export_days(
    engine: sa.Engine,
    tables: Iterable[ExportTable],
    days: Iterable[date],
    fmt: Format,
    folder: Path,
    *,
    chunk_rows: int = CHUNK_ROWS,
    on_chunk: ChunkHook | None = None,
) -> Iterator[ExportedFile]:
    """export_day for every table and day, a file at a time, table by table."""
    days = list(days)
    for table in tables:
        for day in days:
            yield export_day(engine, table, day, fmt, folder, chunk_rows=chunk_rows, on_chunk=on_chunk)


def warehouse_rows(engine: sa.Engine, table: ExportTable, day: date) -> int:
    """How many rows of `table` the day holds in the warehouse now (what its file should hold)."""
    with engine.connect() as conn:
        return int(conn.exec_driver_sql(table.count_day(), table.day_parameters(day)).scalar_one())


def file_rows(path: Path) -> int:
    """Rows in an exported file: the Parquet footer's count, or the CSV's records less its header."""
    if path.suffix == ".parquet":
        return int(pq.read_metadata(path).num_rows)
    with path.open(newline="", encoding="utf-8") as file:
        return sum(1 for _ in csv.reader(file)) - 1
