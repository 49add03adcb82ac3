"""Exporting days of the warehouse to Parquet and CSV (storage/export.py), on a real PostgreSQL, read
back the way a notebook would, as the read-only role."""

from __future__ import annotations

import json
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from vatstats_assets.core.exports import EXPORT_TABLES, export_path
from vatstats_assets.storage.export import export_day, export_days, file_rows, warehouse_rows
from vatstats_assets.storage.tables import TABLES
from vatstats_tests.exports.warehouse_days import add_day, add_positions, rows_of_day

DAYS = [date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19)]
TYPE_NAMES = {"smallint": "smallint", "integer": "integer", "double": "double precision", "text": "text",
              "boolean": "boolean", "timestamptz": "timestamp with time zone", "date": "date", "jsonb": "jsonb", "real": "real",
              "real[]": "ARRAY"}


def test_every_day_keyed_table_but_the_raw_snapshots_is_exported_with_the_warehouses_columns(engine) -> None:
    # Left out: the raw bodies, and the airspace's reference tables (not kept by day).
    assert set(EXPORT_TABLES) == set(TABLES) - {"feed_snapshots", "airspace_volumes", "airspace_sectors"}
    with engine.connect() as conn:
        catalog = conn.execute(sa.text(
            "SELECT table_name, column_name, data_type, is_nullable = 'YES' FROM information_schema.columns"
            " WHERE table_schema = 'vatstats' AND column_name <> 'last_seen_hour' ORDER BY table_name, ordinal_position"
        )).all()
    for name, table in EXPORT_TABLES.items():
        in_warehouse = [(c, t, n) for table_name, c, t, n in catalog if table_name == name]
        exported = [(c.name, TYPE_NAMES[c.type], c.nullable) for c in table.columns]
        assert exported == in_warehouse, name


def test_days_exported_to_parquet_read_back_as_the_same_rows_and_types(engine, reader_engine, tmp_path) -> None:
    for i, day in enumerate(DAYS):
        add_day(engine, day, seed=i)
    files = list(export_days(reader_engine, EXPORT_TABLES.values(), DAYS, "parquet", tmp_path))
    assert len(files) == len(EXPORT_TABLES) * len(DAYS)
    for exported in files:
        table = EXPORT_TABLES[exported.table]
        assert exported.path == export_path(tmp_path, table.name, exported.day, "parquet")
        assert exported.bytes == exported.path.stat().st_size
        read = pq.read_table(exported.path)
        assert read.schema.equals(table.arrow_schema(), check_metadata=False)
        expected = rows_of_day(engine, table.name, table.day_column, exported.day, ", ".join(table.order_by))
        assert exported.rows == len(expected) == read.num_rows > 0
        for row in expected:
            row.pop("last_seen_hour", None)
            if "busiest_airports" in row:
                row["busiest_airports"] = json.dumps(row["busiest_airports"])
        got = read.to_pylist()
        if "busiest_airports" in read.column_names:
            for row in got:
                row["busiest_airports"] = json.dumps(json.loads(row["busiest_airports"]))
        assert got == expected, table.name
    # What pandas makes of it: UTC instants, plain ints, NULLs as missing.
    movements = pd.read_parquet(tmp_path / "traffic_movements")
    assert len(movements) == 9
    assert str(movements["at"].dtype) == "datetime64[us, UTC]"
    assert str(movements["cid"].dtype) == "int32"
    assert movements["at"].min() == pd.Timestamp("2026-11-17 00:00", tz="UTC")
    assert movements["aircraft_type"].isna().sum() == 3
    # A connection online across midnight is in the day it was last seen, once.
    flights = pd.concat(pd.read_parquet(f) for f in sorted((tmp_path / "flights").glob("*.parquet")))
    assert len(flights) == len(flights.drop_duplicates(["cid", "callsign", "logon_time"])) == 6


def test_days_exported_to_csv_read_back_with_utc_times_and_nulls(engine, reader_engine, tmp_path) -> None:
    add_day(engine, DAYS[0])
    tables = [EXPORT_TABLES["traffic_movements"], EXPORT_TABLES["network_daily_stats"], EXPORT_TABLES["flight_positions"]]
    files = {f.table: f for f in export_days(reader_engine, tables, DAYS[:1], "csv", tmp_path)}
    movements = pd.read_csv(files["traffic_movements"].path, parse_dates=["at", "logon_time"])
    assert files["traffic_movements"].rows == len(movements) == 3
    assert str(movements["at"].dtype).endswith(", UTC]")
    assert list(movements["at"]) == [pd.Timestamp("2026-11-17 00:00", tz="UTC"),
                                     pd.Timestamp("2026-11-17 06:00:00.123456", tz="UTC"),
                                     pd.Timestamp("2026-11-17 07:30", tz="UTC")]
    assert movements["matches_flight_plan"].dtype == bool
    assert movements["aircraft_type"].isna().tolist() == [False, False, True]
    stats = pd.read_csv(files["network_daily_stats"].path, parse_dates=["peak_pilots_at", "peak_controllers_at"])
    assert json.loads(stats["busiest_airports"][0]) == [{"airport": "YSSY", "movements": 3}]
    assert stats["peak_controllers_at"].isna().all() and str(stats["date"][0]) == "2026-11-17"
    positions = pd.read_csv(files["flight_positions"].path, parse_dates=["observed_at"])
    assert positions["observed_at"].max() == pd.Timestamp("2026-11-17 23:59:59.999999", tz="UTC")
    assert positions["latitude"].tolist() == [-33.9 + i / 100 for i in range(5)]  # doubles exactly, as written
    assert file_rows(files["flight_positions"].path) == 5


def test_an_empty_day_writes_an_empty_file_with_the_schema(engine, reader_engine, tmp_path) -> None:
    table = EXPORT_TABLES["flight_summaries"]
    parquet = export_day(reader_engine, table, DAYS[0], "parquet", tmp_path)
    assert parquet.rows == 0
    empty = pq.read_table(parquet.path)
    assert empty.num_rows == 0 and empty.schema.equals(table.arrow_schema(), check_metadata=False)
    frame = pd.read_parquet(parquet.path)
    assert str(frame["landing_at"].dtype) == "datetime64[us, UTC]" and frame.empty
    csv = export_day(reader_engine, table, DAYS[0], "csv", tmp_path)
    assert csv.rows == 0
    assert csv.path.read_text() == ",".join(c.name for c in table.columns) + "\n"


def test_an_interrupted_export_leaves_the_previous_file_and_no_partial_one(engine, reader_engine, tmp_path) -> None:
    table = EXPORT_TABLES["flight_positions"]
    add_positions(engine, DAYS[0], 1_000)
    before = export_day(reader_engine, table, DAYS[0], "parquet", tmp_path)
    add_positions(engine, DAYS[1], 1_000)

    def interrupt(rows: int) -> None:
        if rows >= 300:
            raise KeyboardInterrupt  # Ctrl-C after some row groups are written

    for day in DAYS[:2]:  # over a complete file, and where there was none
        with pytest.raises(KeyboardInterrupt):
            export_day(reader_engine, table, day, "parquet", tmp_path, chunk_rows=100, on_chunk=interrupt)
    folder = tmp_path / "flight_positions"
    assert sorted(p.name for p in folder.iterdir()) == ["flight_positions_2026-11-17.parquet"]  # no .part left
    assert pq.read_metadata(before.path).num_rows == 1_000  # the complete file, untouched


def test_the_memory_of_an_export_is_one_chunk_however_many_rows_the_day_holds(engine, reader_engine, tmp_path) -> None:
    table = EXPORT_TABLES["flight_positions"]
    small, large = DAYS[0], DAYS[1]
    add_positions(engine, small, 2_000)
    add_positions(engine, large, 40_000)  # 20 times the rows
    chunk = 1_000
    exported, python_peaks = {}, {}
    tracemalloc.start()
    try:
        for day in (small, large):
            tracemalloc.reset_peak()
            exported[day] = export_day(reader_engine, table, day, "parquet", tmp_path, chunk_rows=chunk)
            python_peaks[day] = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (exported[small].rows, exported[large].rows) == (2_000, 40_000)
    parquet = pq.ParquetFile(exported[large].path)
    assert parquet.metadata.num_row_groups == 40  # a row group per chunk
    chunk_in_arrow = parquet.read_row_group(0).nbytes  # ~55 KB; the whole day is 40 times that
    # Arrow holds one chunk and the writer's buffers for it, whatever the day's size...
    assert exported[large].peak_arrow_bytes <= 2 * chunk_in_arrow
    assert exported[large].peak_arrow_bytes <= exported[small].peak_arrow_bytes * 1.1
    # ...and so does Python: the rows come from a server-side cursor a chunk at a time.
    assert python_peaks[large] <= python_peaks[small] * 1.25


def test_the_files_rows_match_the_warehouse_for_each_table(engine, reader_engine, tmp_path: Path) -> None:
    add_day(engine, DAYS[0])
    for table in EXPORT_TABLES.values():
        exported = export_day(reader_engine, table, DAYS[0], "parquet", tmp_path)
        assert file_rows(exported.path) == warehouse_rows(reader_engine, table, DAYS[0]) == exported.rows
    assert warehouse_rows(reader_engine, EXPORT_TABLES["flights"], DAYS[0] + timedelta(days=1)) == 0
