"""Score movement detection against the simulator's ground truth over a simulated period.

    python -m bench.score_movements --hours 24 --pilots 1500 --seed 7

Prints precision, recall and timing error by movement type (targets: >= 99 %, median <= 30 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta

from bench.simulated import add_period_arguments, period_start
from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.movements import detect_movements
from vatstats_assets.core.region import region
from vatstats_assets.core.scoring import Score, ScoredMovement, score
from vatstats_assets.core.sim_tracks import connections_from_snapshots
from vatstats_assets.sim import GroundTruth, generate_snapshots

WARM_UP = timedelta(minutes=5)


def score_simulated_period(start: datetime, hours: float, pilots: int, seed: int) -> tuple[dict[str, Score], dict]:
    truth = GroundTruth()
    snapshots = (document for _, document in generate_snapshots(start, hours, pilots, seed, truth=truth,
                                                                    contacts=False))
    started = time.perf_counter()
    connections = connections_from_snapshots(snapshots, region("global"))
    simulated_s = time.perf_counter() - started
    end = start + timedelta(hours=hours)
    started = time.perf_counter()
    detected = detect_movements(connections, AirportIndex.from_airportsdata(), window_start=start, window_end=end)
    detect_s = time.perf_counter() - started
    # Detection needs samples before and after a movement: movements in the first and last minutes
    # of the simulated period (an aircraft first seen seconds before touchdown) are not scored.
    scored_from, scored_to = start + WARM_UP, end - WARM_UP
    true_movements = [
        ScoredMovement(m.event, m.airport, m.cid, m.at)
        for m in truth.departures + truth.arrivals if scored_from <= m.at < scored_to
    ]
    found = [ScoredMovement(m.movement_type, m.airport, m.cid, m.at) for m in detected
             if scored_from <= m.at < scored_to]
    figures = {"connections": len(connections), "points": sum(len(c.points) for c in connections),
               "simulate_and_build_s": round(simulated_s, 1), "detect_s": round(detect_s, 2)}
    return score(true_movements, found), figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.score_movements",
        description="Score movement detection against the simulator's ground truth.",
        epilog="example: python -m bench.score_movements --hours 24 --pilots 1500 --seed 7",
    )
    add_period_arguments(parser, hours=24.0)
    args = parser.parse_args(argv)
    start = period_start(args)
    scores, figures = score_simulated_period(start, args.hours, args.pilots, args.seed)
    print(f"{args.hours:g} h, {args.pilots} pilots, seed {args.seed}: {figures}")
    print(f"{'type':<10} {'true':>6} {'found':>6} {'match':>6} {'precision':>9} {'recall':>7} {'median s':>8} {'p95 s':>6}")
    for s in scores.values():
        print(f"{s.movement_type:<10} {s.true:>6} {s.detected:>6} {s.matched:>6} {s.precision:>9.2%} "
              f"{s.recall:>7.2%} {s.median_error_s or 0:>8.1f} {s.p95_error_s or 0:>6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
