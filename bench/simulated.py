"""Simulated feed bodies for the benchmarks: consecutive 15 s snapshots, serialised like the feed."""

from __future__ import annotations

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
