"""Exporting a day of tracks to Parquet: rows per second and peak memory, against pandas.

A day of `flight_positions` (1,000,000 rows by default, 1,500 connections; made by PostgreSQL in a
throwaway database) is written to Parquet twice, each in a fresh Python process so that its peak
resident memory (ru_maxrss) is its own:
  - vatstats: `storage/export.py`'s export_day (server-side cursor, a row group per 50,000 rows);
  - baseline: the naive way, `pandas.read_sql` of the whole range, then `DataFrame.to_parquet`.
A third process only imports and connects: its peak is subtracted from both, so the memory figures
are what the export itself needed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import sqlalchemy as sa

from bench.figures import figure, ratio
from bench.warehouse import throwaway_database
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.server import PostgresServer

NAME = "export"
DAY = date(2026, 11, 20)
CONNECTIONS = 1_500
REPO_ROOT = Path(__file__).resolve().parents[1]

FILL_SQL = """
INSERT INTO vatstats.flight_positions
SELECT 1 + n % :connections, 'VOZ' || (n % :connections), :start,
       :start + (n / :connections) * interval '1 second' * 86400 / (:rows / :connections + 1),
       -33.9 + (n % 9973) * 1e-4, 151.1 - (n % 7919) * 1e-4, (n * 7) % 41000, (n * 3) % 520, n % 360
FROM generate_series(0, :rows - 1) AS n
"""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(mode: str, url: str, out: str) -> dict:
    """In a child process: export the day one way, and say how long it took and the peak memory."""
    import pandas as pd

    from vatstats_assets.core.exports import EXPORT_TABLES
    from vatstats_assets.storage.engine import create_read_engine
    from vatstats_assets.storage.export import export_day

    engine = create_read_engine(url, pool_size=1)
    table = EXPORT_TABLES["flight_positions"]
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    started = time.perf_counter()
    rows = 0
    if mode == "vatstats":
        rows = export_day(engine, table, DAY, "parquet", Path(out)).rows
    elif mode == "pandas":
        with engine.connect() as conn:
            # The same statement, with SQLAlchemy's parameter style.
            statement = table.select_day("parquet").replace("%(start)s", ":start").replace("%(end)s", ":end")
            frame = pd.read_sql(sa.text(statement), conn, params=table.day_parameters(DAY))
        frame.to_parquet(Path(out) / "pandas.parquet", compression="zstd")
        rows = len(frame)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"rows": rows, "seconds": seconds, "peak_rss_mb": _peak_rss_mb()}


def _child(mode: str, url: str, out: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.export_bench", "--child", mode, url, out],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True, timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} export failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool, *, server: PostgresServer, rows: int | None = None) -> list[dict]:
    rows = rows or (300_000 if quick else 1_000_000)
    start = datetime.combine(DAY, datetime.min.time(), tzinfo=UTC)
    with throwaway_database(server, NAME) as database, TemporaryDirectory(prefix="vatstats-export-bench-") as out:
        with database.engine.begin() as conn:
            ensure_partitions(conn, DAY, DAY, ["flight_positions"])
            conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            conn.execute(sa.text(FILL_SQL),
                         {"connections": CONNECTIONS, "start": start, "rows": rows})
        with database.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE vatstats.flight_positions")
        idle = _child("idle", database.url, out)
        ours = _child("vatstats", database.url, out)
        naive = _child("pandas", database.url, out)
        file_mb = (Path(out) / "flight_positions" / f"flight_positions_{DAY}.parquet").stat().st_size / 1e6
    ours_rate, naive_rate = ours["rows"] / ours["seconds"], naive["rows"] / naive["seconds"]
    ours_mb = max(ours["peak_rss_mb"] - idle["peak_rss_mb"], 1.0)
    naive_mb = max(naive["peak_rss_mb"] - idle["peak_rss_mb"], 1.0)
    variant = f"a day of tracks, {rows:,} rows"
    print(f"  [{NAME}] {variant}: vatstats {ours['seconds']:.1f} s, pandas {naive['seconds']:.1f} s", file=sys.stderr)
    return [
        figure(NAME, f"{variant}: export_day to Parquet", ours_rate, "rows/s",
               ratio=ratio(ours_rate, naive_rate), ratio_label="vatstats / pandas.read_sql",
               seconds=round(ours["seconds"], 2), file_mb=round(file_mb, 1), baseline_rows_per_s=round(naive_rate)),
        figure(NAME, f"{variant}: peak memory of the export", ours_mb, "MB",
               ratio=ratio(naive_mb, ours_mb), ratio_label="pandas.read_sql / vatstats",
               baseline_mb=round(naive_mb, 1), idle_process_mb=round(idle["peak_rss_mb"], 1),
               note="peak resident memory over a process that only imported and connected"),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(*sys.argv[2:5])))
        raise SystemExit(0)
    from bench.suite import main

    raise SystemExit(main(["--only", NAME, *sys.argv[1:]]))
