"""`vatstats export` from the command line: files a notebook reads, one sentence and nothing written
for a bad request."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from vatstats_assets.commands.export import main
from vatstats_tests.conftest import TEST_READER_PASSWORD
from vatstats_tests.exports.warehouse_days import add_day

DAYS = [date(2026, 11, 18), date(2026, 11, 19)]


def test_a_range_exported_from_the_cli_prints_a_line_per_file_and_reads_back(engine, database_url, tmp_path) -> None:
    for i, day in enumerate(DAYS):
        add_day(engine, day, seed=i)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VATSTATS_")}
    # The warehouse as the read-only role, as a user's command reads it (the tests' reader password).
    env.update(VATSTATS_DATABASE_URL=database_url, VATSTATS_DATA_DIR=str(tmp_path / "data"),
               VATSTATS_READER_PASSWORD=TEST_READER_PASSWORD)
    out = tmp_path / "exports"
    done = subprocess.run(
        [sys.executable, "-m", "vatstats_assets.cli", "export", "traffic_movements,movement_summaries",
         "--start", str(DAYS[0]), "--end", str(DAYS[1]), "--out", str(out), "--quiet"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == f"{out}/traffic_movements/traffic_movements_2026-11-18.parquet  3 rows  " \
        f"{(out / 'traffic_movements' / 'traffic_movements_2026-11-18.parquet').stat().st_size:,} bytes"
    assert len(lines) == 5 and lines[-1].startswith(
        "exported 4 files (10 rows, ") and lines[-1].endswith(f"of traffic_movements, movement_summaries "
                                                            f"from 2026-11-18 to 2026-11-19 to {out}")
    movements = pd.read_parquet(out / "traffic_movements")
    assert len(movements) == 6 and str(movements["at"].dtype) == "datetime64[us, UTC]"
    summaries = pd.read_parquet(out / "movement_summaries")
    assert sorted(summaries["date"].unique()) == DAYS
    # The README's DuckDB query, over the folder's files by glob.
    by_airport = duckdb.sql(
        f"SELECT airport, count(*) AS movements FROM '{out}/traffic_movements/*.parquet'"
        """ WHERE "at" >= TIMESTAMPTZ '2026-11-01' GROUP BY airport ORDER BY movements DESC, airport"""
    ).fetchall()
    assert sum(count for _, count in by_airport) == 6
    assert by_airport == sorted(movements.groupby("airport").size().items(), key=lambda item: (-item[1], item[0]))


TOMORROW = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(("argv", "says"), [
    (["feed_snapshots", "--start", "2026-11-01", "--end", "2026-11-02"],
     "'feed_snapshots' is not an exportable table; choose from flight_positions, traffic_movements, "
     "movement_summaries, flight_summaries, controller_summaries, network_daily_stats, flights, atc_positions, "
     "transceiver_tunings, atc_contacts, coverage_hourly, "
     "sector_occupancy, sector_hourly_load (or all)."),
    (["traffic_movements", "--start", "2026-11-03", "--end", "2026-11-02"], "--end 2026-11-02 is before --start 2026-11-03."),
    (["traffic_movements", "--start", "3 November", "--end", "2026-11-02"],
     "--start must be a date like 2026-11-01, not '3 November'."),
    (["traffic_movements", "--start", "2026-11-01", "--end", TOMORROW], f"--end {TOMORROW} is in the future"),
    (["traffic_movements", "--start", "2026-11-01", "--end", "2026-11-02", "--format", "json"],
     "--format must be parquet or csv, not 'json'."),
    (["traffic_movements", "--start", "2026-11-01", "--end", "2026-11-02", "--chunk-rows", "0"],
     "--chunk-rows must be a positive number of rows, not 0."),
])
def test_a_bad_request_is_one_sentence_exit_2_and_writes_nothing(argv, says, tmp_path, monkeypatch, capsys) -> None:
    # No warehouse is reachable here: a request is refused before anything is opened.
    monkeypatch.setenv("VATSTATS_DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    out = tmp_path / "exports"
    assert main([*argv, "--out", str(out), "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"vatstats: error: {says}") and captured.err.count("\n") == 1
    assert captured.out == ""
    assert not out.exists()


def test_a_folder_that_cannot_be_written_is_refused_before_anything_is_read(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("VATSTATS_DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["flights", "--start", "2026-11-01", "--end", "2026-11-01", "--out", str(blocker / "exports")])
    assert code == 2
    assert capsys.readouterr().err == (
        f"vatstats: error: {str(blocker)!r} is not a folder, so {str(blocker / 'exports')!r} cannot be written.\n"
    )
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["a-file"]
