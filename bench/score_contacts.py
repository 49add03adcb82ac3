"""Score ATC contacts against the simulator's ground truth, which times them on the true trajectories
and the true tuning (sim/contact_truth.py).

What a warehouse holds, after `vatstats simulate --offline DIR`, `vatstats replay DIR` and
materialising the contacts for the days (the table `vatstats.atc_contacts`):

    python -m bench.score_contacts --database-url URL --truth DIR/ground-truth.jsonl

What the files of an offline run show, through the plain 15 s reference detector
(bench/reference_contacts.py), without a database:

    python -m bench.score_contacts --offline DIR

Or a period simulated in memory, through the same reference detector (how well 15 s snapshots can
show the contacts at all: the ceiling any detector is held to):

    python -m bench.score_contacts --hours 2 --pilots 1500 --seed 7

Prints precision, recall and the error in covered time per matched contact (targets: >= 99 %, and
within one snapshot interval, 15 s).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import orjson
import sqlalchemy as sa

from bench.reference_contacts import detect_contacts
from bench.simulated import add_period_arguments, period_start
from vatstats_assets.core.contact_scoring import TOLERANCE_S, ContactScore, ScoredContact, score_contacts
from vatstats_assets.sim import GroundTruth, generate_feed
from vatstats_assets.sim.offline import TRANSCEIVERS_SUFFIX, TRUTH_FILE_NAME
from vatstats_assets.sim.truth import ContactTruth
from vatstats_assets.storage.sql_files import query


def true_contacts(truth: GroundTruth) -> list[ScoredContact]:
    return [scored(c) for c in truth.contacts]


def scored(c: ContactTruth) -> ScoredContact:
    return ScoredContact((c.pilot_cid, c.pilot_callsign, c.pilot_logon_time),
                         (c.atc_cid, c.atc_callsign, c.atc_logon_time), c.facility, c.channel_hz,
                         c.started_at, c.ended_at)


def truth_window(truth: GroundTruth) -> tuple[datetime, datetime]:
    """The simulated window: controller sessions are clipped to it (from its start to the last snapshot)."""
    sessions = truth.controller_sessions
    if not sessions:
        raise SystemExit("the ground truth holds no controller session: no window to score")
    return min(s.start for s in sessions), max(s.end for s in sessions)


def stored_contacts(url: str, start: datetime, end: datetime) -> list[ScoredContact]:
    """The warehouse's contacts overlapping [start, end) (sql/queries/atc_contacts_overlapping.sql)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(query("atc_contacts_overlapping")),
                                {"window_start": start, "window_end": end}).all()
    finally:
        engine.dispose()
    return [ScoredContact((r.pilot_cid, r.pilot_callsign, r.pilot_logon_time),
                          (r.atc_cid, r.atc_callsign, r.atc_logon_time), r.facility, r.channel_hz,
                          r.started_at, r.ended_at) for r in rows]


def offline_ticks(directory: Path) -> Iterator[tuple[dict, list[dict]]]:
    """(data snapshot, transceivers) of an offline run, in time order (the names sort by time)."""
    for data_file in sorted(directory.glob("vatsim-data-*Z.json.gz")):
        beside = data_file.with_name(data_file.name.removesuffix(".json.gz") + TRANSCEIVERS_SUFFIX)
        transceivers = orjson.loads(gzip.decompress(beside.read_bytes())) if beside.exists() else []
        yield orjson.loads(gzip.decompress(data_file.read_bytes())), transceivers


def score_simulated_period(start: datetime, hours: float, pilots: int, seed: int) -> tuple[ContactScore, dict]:
    truth = GroundTruth()
    moments: list[datetime] = []

    def ticks() -> Iterator[tuple[dict, list[dict]]]:
        for moment, data, transceivers in generate_feed(start, hours, pilots, seed, truth=truth):
            moments.append(moment)
            yield data, transceivers

    started = time.perf_counter()
    detected = detect_contacts(ticks())
    seconds = time.perf_counter() - started
    window = (moments[0].replace(microsecond=0), moments[-1])
    figures = {"true_contacts": len(truth.contacts), "detected_contacts": len(detected),
               "simulate_and_detect_s": round(seconds, 1)}
    return score_contacts(true_contacts(truth), detected, scored_from=window[0], scored_to=window[1]), figures


def format_score(score: ContactScore) -> str:
    def seconds(value: float | None) -> str:
        return f"{value or 0:.1f} s"

    return "\n".join([
        f"contacts: {score.true} true ({score.unobservable} shorter than a snapshot interval and unseen), "
        f"{score.detected} detected, {score.matched_true} matched",
        f"precision {score.precision:.2%}, recall {score.recall:.2%}",
        f"covered time: {score.true_seconds / 60:,.1f} true minutes, {score.detected_seconds / 60:,.1f} detected",
        f"covered-time error per contact (overlapping ones of a pair together): median {seconds(score.median_error_s)}, "
        f"p95 {seconds(score.p95_error_s)}, max {seconds(score.max_error_s)}; "
        f"{score.within_tolerance:.2%} within {TOLERANCE_S:g} s",
        f"missed by facility {score.missed_by_facility or '-'}, false by facility {score.false_by_facility or '-'}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.score_contacts",
        description="Score ATC contacts against the simulator's ground truth.",
        epilog="examples:\n  python -m bench.score_contacts --hours 2 --pilots 1500 --seed 7\n"
        "  python -m bench.score_contacts --offline /tmp/day\n"
        "  python -m bench.score_contacts --database-url postgresql://... --truth /tmp/day/ground-truth.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_period_arguments(parser, hours=2.0)
    parser.add_argument("--offline", type=Path, help="score an offline run's files with the reference detector")
    parser.add_argument("--database-url", help="score this warehouse's vatstats.atc_contacts (needs --truth)")
    parser.add_argument("--truth", type=Path, help="the offline run's ground-truth.jsonl (with --database-url)")
    args = parser.parse_args(argv)
    if args.database_url:
        if args.truth is None:
            parser.error("--database-url needs --truth FILE")
        truth = GroundTruth.load(args.truth)
        start, end = truth_window(truth)
        detected = stored_contacts(args.database_url, start, end)
        print(f"{args.database_url.rsplit('/', 1)[-1]} against {args.truth}, {start:%Y-%m-%dT%H:%M:%SZ} to "
              f"{end:%Y-%m-%dT%H:%M:%SZ}: {len(truth.contacts)} true, {len(detected)} stored")
    elif args.offline:
        truth = GroundTruth.load(args.offline / TRUTH_FILE_NAME)
        start, end = truth_window(truth)
        detected = detect_contacts(offline_ticks(args.offline))
        print(f"{args.offline} through the reference detector: {len(truth.contacts)} true, {len(detected)} detected")
    else:
        start = period_start(args)
        score, figures = score_simulated_period(start, args.hours, args.pilots, args.seed)
        print(f"{args.hours:g} h, {args.pilots} pilots, seed {args.seed}: {figures}")
        print(format_score(score))
        return 0
    print(format_score(score_contacts(true_contacts(truth), detected, scored_from=start, scored_to=end)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
