"""Simulated feed bodies for the benchmarks: consecutive 15 s snapshots, serialised like the feed."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC, datetime

import orjson

from vatstats_assets.sim.simulation import generate_snapshots

# A weekday morning UTC: Europe busy, Australia in its evening, plenty of every flight phase.
DEFAULT_START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
SEED = 20261120


def snapshot_bodies(
    pilots: int, count: int, *, start: datetime = DEFAULT_START, seed: int = SEED
) -> Iterator[tuple[datetime, bytes]]:
    """`count` consecutive snapshots as JSON bytes, generated lazily (a 10,000-pilot body is ~9 MB)."""
    hours = count * 15 / 3600
    for update_timestamp, document in generate_snapshots(start, hours, pilots, seed):
        yield update_timestamp, orjson.dumps(document)


def add_period_arguments(parser: argparse.ArgumentParser, *, hours: float) -> None:
    """The simulated period every scorer takes: --hours, --pilots, --seed, --start (read with period_start)."""
    parser.add_argument("--hours", type=float, default=hours)
    parser.add_argument("--pilots", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", default="2026-11-20T00:00:00+00:00")


def period_start(args: argparse.Namespace) -> datetime:
    """--start as an aware UTC datetime."""
    return datetime.fromisoformat(args.start).astimezone(UTC)
