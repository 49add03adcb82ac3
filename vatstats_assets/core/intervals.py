"""Time intervals merged where they overlap or touch (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

Interval = tuple[datetime, datetime]


def merge_intervals(intervals: Iterable[Interval], start: datetime | None = None,
                    end: datetime | None = None) -> list[Interval]:
    """The intervals merged where they overlap or touch, in order, each clipped to [start, end) when given."""
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        a = max(a, start) if start is not None else a
        b = min(b, end) if end is not None else b
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
