"""Score detected movements against ground truth: precision, recall and timing error by type.

A detected movement matches a true one of the same type, airport and pilot (cid) when their times
are within `max_offset`; each true movement matches at most once, closest first.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Far beyond the 15 s sampling and any plausible interpolation error, far below the time between
# two movements of one aircraft at one airport (a circuit takes about 6 minutes).
DEFAULT_MAX_OFFSET = timedelta(minutes=3)


@dataclass(frozen=True, slots=True)
class ScoredMovement:
    movement_type: str
    airport: str
    cid: int
    at: datetime


@dataclass(frozen=True)
class Score:
    movement_type: str
    true: int
    detected: int
    matched: int
    median_error_s: float | None
    p95_error_s: float | None

    @property
    def precision(self) -> float:
        return self.matched / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.true if self.true else 1.0


def score(
    truth: Iterable[ScoredMovement], detected: Iterable[ScoredMovement], max_offset: timedelta = DEFAULT_MAX_OFFSET
) -> dict[str, Score]:
    truth, detected = list(truth), list(detected)
    results = {}
    for kind in sorted({m.movement_type for m in truth} | {m.movement_type for m in detected}):
        wanted = [m for m in truth if m.movement_type == kind]
        found = [m for m in detected if m.movement_type == kind]
        candidates = sorted(
            (abs((d.at - t.at).total_seconds()), ti, di)
            for ti, t in enumerate(wanted)
            for di, d in enumerate(found)
            if (t.airport, t.cid) == (d.airport, d.cid) and abs(d.at - t.at) <= max_offset
        )
        used_truth, used_found, errors = set(), set(), []
        for error_s, ti, di in candidates:
            if ti in used_truth or di in used_found:
                continue
            used_truth.add(ti)
            used_found.add(di)
            errors.append(error_s)
        errors.sort()
        results[kind] = Score(
            movement_type=kind, true=len(wanted), detected=len(found), matched=len(errors),
            median_error_s=statistics.median(errors) if errors else None,
            p95_error_s=errors[min(len(errors) - 1, int(0.95 * len(errors)))] if errors else None,
        )
    return results
