"""Read a query's result by binary COPY straight into one numpy record array.

For results of millions of rows of fixed-width columns (integers, floats, timestamps as int8 micros):
no Python object per value, no tz-aware datetime per row. Text columns cannot be fixed-width; a query
sends e.g. hashtext(callsign) instead and maps it back from a small second query.
Format: https://www.postgresql.org/docs/current/sql-copy.html (Binary Format): an 11-byte signature,
flags, a header-extension length; per row a field count and, per field, its byte length and its
big-endian value; a -1 field count ends the data.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa

from vatstats_assets.storage.gc_pause import collector_paused

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_TRAILER = 2

Fields = Sequence[tuple[str, str]]  # (name, numpy type on the wire: ">i4", ">i8", ">f8", ...), in column order


def row_dtype(fields: Fields) -> np.dtype:
    """One binary COPY row of these fixed-width columns: the field count, then length and value each."""
    return np.dtype([("fields", ">i2")] + [
        item for name, wire in fields for item in ((f"{name}_length", ">i4"), (name, wire))
    ])


def copy_records(conn: sa.Connection, select: str, params: Mapping[str, datetime | timedelta | int | float],
                 fields: Fields, what: str) -> np.ndarray:
    """`select`'s rows as one numpy record array with `fields` (a view of the COPY buffer).

    `select` uses :name parameters; COPY takes no bound parameters, so psycopg2 quotes them into the
    statement. `what` names the query in errors. Every column must be NOT NULL and fixed-width.
    """
    statement_text = re.sub(r":(\w+)\b", r"%(\1)s", select.strip())
    buffer = io.BytesIO()
    with collector_paused(), conn.connection.cursor() as cursor:  # type: ignore[attr-defined]
        statement = cursor.mogrify(statement_text, dict(params)).decode()
        cursor.copy_expert(f"COPY ({statement}) TO STDOUT (FORMAT binary)", buffer)
    data = buffer.getbuffer()
    if bytes(data[:len(_SIGNATURE)]) != _SIGNATURE:
        raise RuntimeError(f"{what}: not a binary COPY result")
    start = len(_SIGNATURE) + 8 + int.from_bytes(data[len(_SIGNATURE) + 4:len(_SIGNATURE) + 8], "big", signed=True)
    row = row_dtype(fields)
    body = len(data) - start - _TRAILER
    if body % row.itemsize:
        raise RuntimeError(f"{what}: rows of another width than its fixed-width columns")
    rows = np.frombuffer(data, dtype=row, count=body // row.itemsize, offset=start)
    widths_ok = (rows["fields"] == len(fields)).all() and all(
        (rows[f"{name}_length"] == np.dtype(wire).itemsize).all() for name, wire in fields)
    if not widths_ok:
        raise RuntimeError(f"{what}: a NULL or a value of another type")
    return rows


# A day's track is one COPY of 8 million rows: about 5 s of a single PostgreSQL backend producing
# them (Python's share is under 2 s). Split into slices by cid, each on its own connection and
# thread (psycopg2 waits for the server without the GIL), the backends share the work across
# cores. Slices by cid are even however the rows spread over time (a window reaching back into a
# day not ingested is half empty); each backend scans the window and sends its share.
COPY_SLICES = min(4, os.cpu_count() or 1)


def copy_columns_in_slices(conn: sa.Connection, select: str, params: Mapping[str, datetime | timedelta | int | float],
                           fields: Fields, what: str) -> dict[str, np.ndarray]:
    """`select`'s rows as one array per field in the machine's byte order, read in COPY_SLICES slices
    at once (the rows whose `cid` is the same modulo COPY_SLICES). `select` must have a `cid` column."""
    if COPY_SLICES == 1:
        parts = [copy_records(conn, select, params, fields, what)]
    else:
        sliced = f"SELECT * FROM ({select.strip().rstrip(';')}) AS rows WHERE mod(cid, :copy_slices) = :copy_slice"

        # Connections of their own, outside the caller's small pool (storage/engine.py), which the
        # caller holds one of already: the slices never wait for it, however many cores there are.
        slices = sa.create_engine(conn.engine.url, poolclass=sa.NullPool,
                                  connect_args={"application_name": "vatstats-copy", "connect_timeout": 5})

        def one(index: int) -> np.ndarray:
            with slices.connect() as own:
                return copy_records(own, sliced, {**params, "copy_slices": COPY_SLICES, "copy_slice": index},
                                    fields, what)

        try:
            with ThreadPoolExecutor(COPY_SLICES, thread_name_prefix="vatstats-copy") as pool:
                parts = list(pool.map(one, range(COPY_SLICES)))
        finally:
            slices.dispose()
    return native_columns(parts, fields)


def native_columns(parts: Sequence[np.ndarray], fields: Fields) -> dict[str, np.ndarray]:
    """The record arrays' fields, one contiguous array each in the machine's byte order: each part's
    field is swapped and copied into place in one pass (concatenating the big-endian fields first and
    converting them after took two: four parts of 2.6 M rows, 3.3 s against 1.5 s, in a scratch
    measurement on fresh memory)."""
    columns = {name: np.empty(sum(len(part) for part in parts), dtype=np.dtype(wire).newbyteorder("="))
               for name, wire in fields}
    offset = 0
    for part in parts:
        for name, column in columns.items():
            column[offset:offset + len(part)] = part[name]
        offset += len(part)
    return columns
