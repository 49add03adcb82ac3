"""How long does movement detection take for one day partition of about a million position rows?

Flies a set of template tracks second by second (gate to gate between real VATPAC and world
airports, VFR circuits, parked aircraft), then cuts ~10,000 connections out of them, each a run of
20-180 consecutive 15 s samples shifted to its own time of day, so the day mixes every phase:
parked, taxiing, climbing, cruising, descending, landing. It then times, best of N:
  - detect_movements over all connections (stitching, state machine, window filter, sorting);
  - completed_flights over the same connections (the same state machine, then the flight summaries);
  - stitch_reconnects alone.

    .venv/bin/python bench/detect_bench.py            # ~1,000,000 points, 10,000 connections
    .venv/bin/python bench/detect_bench.py --quick    # a tenth of that, one repeat
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO_ROOT))

from vatstats_assets.core.airports import AirportIndex  # noqa: E402 - after the path is set
from vatstats_assets.core.flights import completed_flights  # noqa: E402
from vatstats_assets.core.movements import (  # noqa: E402
    Connection,
    TrackPoint,
    detect_movements,
    stitch_reconnects,
)
from vatstats_tests.core.tracks import Flight, airline_flight  # noqa: E402

DAY_START = datetime(2026, 11, 20, tzinfo=UTC)
ROUTES = [
    ("YSSY", "YMML"),
    ("YMML", "YBBN"),
    ("YBBN", "YSSY"),
    ("YSSY", "NZAA"),
    ("NZAA", "NZWN"),
    ("NZWN", "NZCH"),
    ("YPPH", "YPAD"),
    ("YPAD", "YMML"),
    ("YSCB", "YSSY"),
    ("YBCS", "YBBN"),
    ("EGLL", "EDDF"),
    ("EDDF", "LFPG"),
    ("KJFK", "KBOS"),
    ("KDEN", "KLAX"),
    ("RJTT", "RJBB"),
    ("WSSS", "WMKK"),
    ("OMDB", "OTHH"),
    ("LEMD", "LEBL"),
    ("CYYZ", "CYUL"),
    ("SBGR", "SBRJ"),
]
CIRCUIT_FIELDS = ["YMMB", "YSBK", "YBAF", "NZAR", "EGKB", "KPAO"]


def template_tracks() -> list[tuple[TrackPoint, ...]]:
    """Whole tracks flown once; connections are cut from them."""
    tracks: list[tuple[TrackPoint, ...]] = []
    start = DAY_START
    for origin, destination in ROUTES:
        tracks.append(tuple(airline_flight(origin, destination, start, sample_phase_s=len(tracks) % 15).samples))
    for index, field in enumerate(CIRCUIT_FIELDS):
        flight = Flight(field, start, sample_phase_s=index)
        flight.park(240).taxi(180, 10.0, heading=90.0).take_off(
            heading=90.0, rotate_kt=60.0, climb_fpm=700.0, to_agl=500.0
        )
        for _ in range(4):
            flight.climb_out(90.0, 2.5, 1000.0, speed_kt=90.0).climb_out(270.0, 2.5, 1000.0, speed_kt=90.0)
            flight.touch_and_go(field, approach_kt=75.0)
        flight.climb_out(90.0, 2.5, 1000.0, speed_kt=90.0).climb_out(270.0, 2.5, 1000.0, speed_kt=90.0)
        flight.land(field, approach_kt=70.0)
        tracks.append(tuple(flight.samples))
    for index, field in enumerate(["YSSY", "EGLL", "KJFK", "NZAA"]):
        tracks.append(tuple(Flight(field, start, jitter_ft=15.0, seed=index).park(3 * 3600).samples))
    return tracks


def build_day(connections: int, rng: random.Random) -> list[Connection]:
    """`connections` runs of 20-180 samples cut from the templates, spread over the day."""
    templates = template_tracks()
    day = []
    for cid in range(connections):
        template = rng.choice(templates)
        length = min(len(template), rng.randint(20, 180))
        first = rng.randrange(0, len(template) - length + 1)
        shift = timedelta(seconds=15 * rng.randrange(0, 5760)) - (template[first].observed_at - DAY_START)
        points = tuple(
            TrackPoint(p.observed_at + shift, p.latitude, p.longitude, p.altitude_ft, p.groundspeed_kt)
            for p in template[first : first + length]
        )
        day.append(
            Connection(
                2_000_000 + cid, f"BEN{cid}", points[0].observed_at - timedelta(seconds=30), "B738", None, None, points
            )
        )
    return day


def best_s(action: Callable[[], object], repeats: int) -> tuple[float, object]:
    fastest, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest, result


def run(quick: bool = False) -> list[dict[str, object]]:
    """Time detection over one constructed day; one dict of figures per measurement."""
    connection_count = 1_000 if quick else 10_000
    repeats = 1 if quick else 3
    airports = AirportIndex.from_airportsdata()
    started = time.perf_counter()
    day = build_day(connection_count, random.Random(20261120))
    build_s = time.perf_counter() - started
    points = sum(len(c.points) for c in day)
    day_end = DAY_START + timedelta(days=1)

    results = []
    for name, action in (
        ("stitch_reconnects", lambda: stitch_reconnects(day)),
        ("detect_movements", lambda: detect_movements(day, airports, window_start=DAY_START, window_end=day_end)),
        ("completed_flights", lambda: completed_flights(day, airports, window_start=DAY_START, window_end=day_end)),
    ):
        seconds, output = best_s(action, repeats)
        results.append(
            {
                "measure": name,
                "connections": connection_count,
                "points": points,
                "seconds": round(seconds, 2),
                "points_per_s": round(points / seconds) if seconds > 0 else None,
                "rows_out": len(output),  # type: ignore[arg-type]
                "build_s": round(build_s, 1),
            }
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(prog="detect_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, one repeat")
    args = parser.parse_args()
    for row in run(quick=args.quick):
        print("  ".join(f"{key}={value}" for key, value in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
