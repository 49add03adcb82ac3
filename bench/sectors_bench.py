"""Placing a day's track points in 3-D sectors: vectorised (shapely 2 + a numpy box filter) against
the naive per-point, per-polygon test, in the same run.

    python -m bench.sectors_bench [--quick]

A 1,500-pilot day is 1,500 x 5,760 snapshots = 8.64 M points (target: under 60 s). The airspace is
synthetic and sized like a division's: 200 irregular 24-sided cells over Australia, each in two
altitude bands (400 volumes and sectors). Points: 60 % over the cells at random altitudes and
speeds, 40 % anywhere on Earth. The naive baseline runs on a sample and is scaled per point.
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np
from shapely.geometry import Polygon

from vatstats_assets.core.airspace import Airspace, Sector, Volume
from vatstats_assets.core.sector_occupancy import SectorIndex, naive_place

DAY_POINTS = 1_500 * 5_760
NAIVE_SAMPLE = 20_000


def synthetic_airspace(columns: int = 20, rows: int = 10) -> Airspace:
    rng = np.random.default_rng(11)
    volumes: dict[str, Volume] = {}
    sectors: dict[str, Sector] = {}
    west, north, size = 115.0, -12.0, 2.0
    for c in range(columns):
        for r in range(rows):
            cx, cy = west + (c + 0.5) * size, north - (r + 0.5) * size
            angles = np.linspace(0, 2 * math.pi, 24, endpoint=False)
            radius = size * 0.5 * rng.uniform(0.9, 1.1, 24)  # ragged cells, like real sector edges
            ring = list(zip(cx + radius * np.cos(angles), cy + radius * np.sin(angles), strict=True))
            cell = Polygon(ring)
            for band, (lower, upper) in enumerate(((0, 24500), (24500, 60000))):
                name = f"S{c:02d}{r:02d}{'LH'[band]}"
                volumes[name] = Volume(name, lower, upper, (name,), cell, "synthetic")
                sectors[name] = Sector(name, name, f"{name}_CTR", None, (name,), (), "synthetic")
    return Airspace({}, volumes, sectors)


def synthetic_points(count: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(5)
    local = int(count * 0.6)
    lat = np.concatenate((rng.uniform(-32, -12, local), rng.uniform(-80, 80, count - local)))
    lon = np.concatenate((rng.uniform(115, 155, local), rng.uniform(-180, 180, count - local)))
    alt = rng.uniform(0, 45000, count)
    gs = rng.uniform(0, 520, count)
    return lat, lon, alt, gs


def run(quick: bool = False) -> list[dict]:
    points = DAY_POINTS // 10 if quick else DAY_POINTS
    index = SectorIndex(synthetic_airspace())
    lat, lon, alt, gs = synthetic_points(points)
    started = time.perf_counter()
    placed, _ = index.place(lat, lon, alt, gs)
    vectorised_s = time.perf_counter() - started
    sample = slice(0, NAIVE_SAMPLE)
    started = time.perf_counter()
    naive_place(index, lat[sample], lon[sample], alt[sample], gs[sample])
    naive_per_point_s = (time.perf_counter() - started) / NAIVE_SAMPLE
    naive_s = naive_per_point_s * points
    return [{
        "points": points, "volumes": len(index.bands), "polygons": len(index.polygons),
        "placements": int(placed.size), "vectorised_s": round(vectorised_s, 2),
        "naive_s_extrapolated": round(naive_s, 1), "naive_sample_points": NAIVE_SAMPLE,
        "naive_over_vectorised": round(naive_s / vectorised_s, 1),
    }]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sectors_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of a day's points")
    args = parser.parse_args(argv)
    for row in run(quick=args.quick):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
