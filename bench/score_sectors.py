"""Score sector occupancy (entries and exits of each connection in each sector) against the
simulator's ground truth, which times them on the true trajectories (sim/sector_truth.py).

In memory, the detector's own code on tracks built as ingestion stores them (fast; no database):

    python -m bench.score_sectors --hours 24 --pilots 1500 --seed 7 --airspace vatstats_tests/fixtures/airspace

Or what a warehouse holds, after `vatstats simulate --offline DIR --airspace A`, `vatstats replay DIR`
and materialising `airspace` and `sector_occupancy` for the days:

    python -m bench.score_sectors --database-url URL --truth DIR/ground-truth.jsonl

Prints precision, recall and timing error of entries and of exits (targets: >= 99 %, median <= 30 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.simulated import add_period_arguments, period_start
from vatstats_assets.core.airspace import load_airspace
from vatstats_assets.core.region import region
from vatstats_assets.core.sector_occupancy import SectorIndex, Stay, sector_stays, track_arrays
from vatstats_assets.core.sector_scoring import CrossingScore, ScoredStay, score_stays
from vatstats_assets.core.sim_tracks import connections_from_snapshots
from vatstats_assets.sim import GroundTruth, generate_snapshots
from vatstats_assets.sim.truth import SectorStayTruth
from vatstats_assets.storage.airspace import stored_stays

# As for movements: a crossing in the first or last minutes of the period has samples on one side only.
WARM_UP = timedelta(minutes=5)
# The cuts at either end of a window (the truth's `window`, the detector's `midnight`, and the
# detector's `logon`/`logoff` at the first and last snapshot of the period) are not crossings.
_CUTS = frozenset({"window", "midnight"})


def true_stays(truth: GroundTruth) -> list[ScoredStay]:
    return [_scored(s) for s in truth.sector_stays]


def detected_stays(stays: list[Stay]) -> list[ScoredStay]:
    return [_scored(s) for s in stays]


def _scored(s: Stay | SectorStayTruth) -> ScoredStay:
    return ScoredStay(s.sector, (s.cid, s.callsign, s.logon_time), s.entered_at, s.exited_at, s.entry, s.exit)


def score_period(truth: GroundTruth, detected: list[Stay], start: datetime, end: datetime) -> dict[str, CrossingScore]:
    """Entries and exits in [start + WARM_UP, end - WARM_UP), the window's own cuts left out."""
    def crossings(stays: list[ScoredStay]) -> list[ScoredStay]:
        far = datetime(1970, 1, 1, tzinfo=UTC)  # a cut is moved out of the scored window, not scored
        return [ScoredStay(s.sector, s.connection, far if s.entry in _CUTS else s.entered_at,
                           far if s.exit in _CUTS else s.exited_at, s.entry, s.exit) for s in stays]

    return score_stays(crossings(true_stays(truth)), crossings(detected_stays(detected)),
                       scored_from=start + WARM_UP, scored_to=end - WARM_UP)


def score_simulated_period(
    start: datetime, hours: float, pilots: int, seed: int, airspace_dir: Path
) -> tuple[dict[str, CrossingScore], dict]:
    airspace = load_airspace(airspace_dir)
    truth = GroundTruth()
    end = start + timedelta(hours=hours)
    started = time.perf_counter()
    snapshots = (d for _, d in generate_snapshots(start, hours, pilots, seed, truth=truth,
                                                             airspace=airspace, contacts=False))
    connections = connections_from_snapshots(snapshots, region("global"))
    simulated_s = time.perf_counter() - started
    started = time.perf_counter()
    detected = sector_stays(track_arrays(connections), SectorIndex(airspace), window_start=start, window_end=end)
    detect_s = time.perf_counter() - started
    figures = {"connections": len(connections), "points": sum(len(c.points) for c in connections),
               "true_stays": len(truth.sector_stays), "detected_stays": len(detected),
               "simulate_and_build_s": round(simulated_s, 1), "detect_s": round(detect_s, 2)}
    return score_period(truth, detected, start, end), figures


def score_database(url: str, truth_path: Path) -> tuple[dict[str, CrossingScore], dict]:
    """A warehouse's sector_occupancy against an offline run's ground-truth file (its period is the
    truth's: from the earliest to the latest instant it records)."""
    truth = GroundTruth.load(truth_path)
    instants = [m.at for m in truth.movements] + [s.exited_at for s in truth.sector_stays] + \
        [s.entered_at for s in truth.sector_stays]
    if not truth.sector_stays:
        raise SystemExit(f"{truth_path} holds no sector stays: simulate with --airspace DIR")
    start = min(instants).replace(second=0, microsecond=0)
    end = max(instants)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            detected = stored_stays(conn, start - timedelta(days=1), end + timedelta(days=1))
    finally:
        engine.dispose()
    figures = {"true_stays": len(truth.sector_stays), "detected_stays": len(detected),
               "period": f"{start:%Y-%m-%dT%H:%MZ} to {end:%Y-%m-%dT%H:%MZ}"}
    return score_period(truth, detected, start, end), figures


def format_scores(scores: dict[str, CrossingScore]) -> str:
    lines = [f"{'crossing':<9} {'true':>6} {'found':>6} {'precision':>9} {'recall':>7} {'median s':>8} "
             f"{'p95 s':>6}  missed / false, by kind"]
    for s in scores.values():
        lines.append(
            f"{s.crossing:<9} {s.true:>6} {s.detected:>6} {s.precision:>9.2%} {s.recall:>7.2%} "
            f"{s.median_error_s or 0:>8.2f} {s.p95_error_s or 0:>6.1f}  {s.missed_by_kind or '-'} / "
            f"{s.false_by_kind or '-'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.score_sectors",
        description="Score sector occupancy (entries and exits) against the simulator's ground truth.",
        epilog="examples:\n  python -m bench.score_sectors --hours 24 --pilots 1500 --seed 7 "
        "--airspace vatstats_tests/fixtures/airspace\n"
        "  python -m bench.score_sectors --database-url postgresql://... --truth /tmp/day/ground-truth.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_period_arguments(parser, hours=24.0)
    parser.add_argument("--airspace", type=Path, default=Path(__file__).resolve().parents[1]
                        / "vatstats_tests" / "fixtures" / "airspace",
                        help="sector files to simulate against (default: the synthetic test fixtures)")
    parser.add_argument("--database-url", help="score this warehouse's sector_occupancy instead (needs --truth)")
    parser.add_argument("--truth", type=Path, help="the offline run's ground-truth.jsonl (with --database-url)")
    args = parser.parse_args(argv)
    if args.database_url:
        if args.truth is None:
            parser.error("--database-url needs --truth FILE")
        scores, figures = score_database(args.database_url, args.truth)
        print(f"{args.database_url.rsplit('/', 1)[-1]} against {args.truth}: {figures}")
    else:
        start = period_start(args)
        scores, figures = score_simulated_period(start, args.hours, args.pilots, args.seed, args.airspace)
        print(f"{args.hours:g} h, {args.pilots} pilots, seed {args.seed}, airspace {args.airspace}: {figures}")
    print(format_scores(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
