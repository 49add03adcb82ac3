"""A day's ATC contacts and hourly coverage (the atc_contacts and coverage_hourly assets' work) against
loading the same day's tracks for the movements (storage/tracks.load_tracks), side by side in one run,
on a warehouse holding the day (coverage_hourly needs the day's traffic_movements).

    vatstats simulate --offline DIR --hours 24 --pilots 1500 --seed 7 --start 2026-11-20T00:00:00Z
    VATSTATS_DATABASE_URL=URL vatstats replay DIR --region global
    python -m bench.contacts_bench --database-url URL --day 2026-11-20 [--runs 3]

Prints, per run, the seconds of each and their ratios to the baseline (the target for contacts: under
30 s a day).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.storage.contacts import day_contacts
from vatstats_assets.storage.coverage import day_coverage
from vatstats_assets.storage.tracks import load_tracks


def run(url: str, day: date, runs: int) -> list[dict]:
    engine = sa.create_engine(url)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    end = start + timedelta(days=1)
    rows = []
    airports = AirportIndex.from_airportsdata()
    try:
        for _ in range(runs):
            began = time.perf_counter()
            with engine.connect() as conn:
                found = day_contacts(conn, start, end)
            contacts_s = time.perf_counter() - began
            began = time.perf_counter()
            with engine.connect() as conn:
                hourly = day_coverage(conn, start, end, airports)
            coverage_s = time.perf_counter() - began
            began = time.perf_counter()
            with engine.connect() as conn:
                tracks = load_tracks(conn, start, end)
            tracks_s = time.perf_counter() - began
            rows.append({"contacts": len(found.rows), "candidates": found.candidates,
                         "snapshot_pairs": found.pair_ticks, "points": found.points,
                         "coverage_rows": len(hourly), "contacts_s": round(contacts_s, 2),
                         "coverage_hourly_s": round(coverage_s, 2), "load_tracks_s": round(tracks_s, 2),
                         "tracks_points": tracks.points,
                         "contacts_over_load_tracks": round(contacts_s / tracks_s, 2),
                         "coverage_over_load_tracks": round(coverage_s / tracks_s, 2)})
    finally:
        engine.dispose()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.contacts_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a warehouse holding the day (postgresql+psycopg2://...)")
    parser.add_argument("--day", required=True, type=date.fromisoformat, help="the UTC day, e.g. 2026-11-20")
    parser.add_argument("--runs", type=int, default=3, help="repetitions (default 3); the medians are printed last")
    args = parser.parse_args(argv)
    rows = run(args.database_url, args.day, args.runs)
    for row in rows:
        print(row)
    print({name: statistics.median(r[name] for r in rows) for name in (
        "contacts_s", "coverage_hourly_s", "load_tracks_s", "contacts_over_load_tracks", "coverage_over_load_tracks")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
