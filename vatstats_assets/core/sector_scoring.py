"""Score detected sector stays against ground truth: precision, recall and timing error of entries
and of exits.

A detected crossing (an entry, or an exit) matches a true one of the same connection (cid, callsign,
logon time) and sector when their times are within `max_offset`; each true crossing matches at most
once, closest first. Only crossings inside the scored window count (detection needs samples on both
sides of a crossing, so the first and last minutes of a simulated period are left out), but a
crossing just inside the window may match one just outside it: a 2 s disagreement at the window's
edge is a timing error, not a miss and a false detection.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Well above the 15 s sampling (a crossing is timed between two samples, a logon seen at the first
# one), well below the shortest stay worth matching across: a sector re-entered within two minutes
# is matched crossing by crossing, closest first.
DEFAULT_MAX_OFFSET = timedelta(minutes=2)

ConnectionKey = tuple[int, str, datetime]  # cid, callsign, logon_time


@dataclass(frozen=True, slots=True)
class ScoredStay:
    sector: str
    connection: ConnectionKey
    entered_at: datetime
    exited_at: datetime
    entry: str
    exit: str


@dataclass(frozen=True)
class CrossingScore:
    crossing: str  # "entry" or "exit"
    true: int
    detected: int
    matched_true: int
    matched_detected: int
    median_error_s: float | None
    p95_error_s: float | None
    missed_by_kind: dict[str, int]  # true crossings not found, by how the stay began (or ended)
    false_by_kind: dict[str, int]  # detected crossings matching nothing, by the detector's kind

    @property
    def precision(self) -> float:
        return self.matched_detected / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        return self.matched_true / self.true if self.true else 1.0


def _score_crossing(
    crossing: str, truth: list[ScoredStay], detected: list[ScoredStay], scored_from: datetime, scored_to: datetime,
    max_offset: timedelta,
) -> CrossingScore:
    def at(stay: ScoredStay) -> datetime:
        return stay.entered_at if crossing == "entry" else stay.exited_at

    def kind(stay: ScoredStay) -> str:
        return stay.entry if crossing == "entry" else stay.exit

    found_by_key: dict[tuple[str, ConnectionKey], list[int]] = defaultdict(list)
    for di, d in enumerate(detected):
        found_by_key[(d.sector, d.connection)].append(di)
    candidates = sorted(
        (abs((at(detected[di]) - at(t)).total_seconds()), ti, di)
        for ti, t in enumerate(truth)
        for di in found_by_key.get((t.sector, t.connection), ())
        if abs(at(detected[di]) - at(t)) <= max_offset
    )
    match_of_truth: dict[int, float] = {}
    matched_found: set[int] = set()
    for error_s, ti, di in candidates:
        if ti in match_of_truth or di in matched_found:
            continue
        match_of_truth[ti] = error_s
        matched_found.add(di)
    true_in = [ti for ti, t in enumerate(truth) if scored_from <= at(t) < scored_to]
    found_in = [di for di, d in enumerate(detected) if scored_from <= at(d) < scored_to]
    errors = sorted(match_of_truth[ti] for ti in true_in if ti in match_of_truth)
    missed: dict[str, int] = defaultdict(int)
    for ti in true_in:
        if ti not in match_of_truth:
            missed[kind(truth[ti])] += 1
    false: dict[str, int] = defaultdict(int)
    for di in found_in:
        if di not in matched_found:
            false[kind(detected[di])] += 1
    return CrossingScore(
        crossing=crossing, true=len(true_in), detected=len(found_in), matched_true=len(errors),
        matched_detected=sum(1 for di in found_in if di in matched_found),
        median_error_s=statistics.median(errors) if errors else None,
        p95_error_s=errors[min(len(errors) - 1, int(0.95 * len(errors)))] if errors else None,
        missed_by_kind=dict(sorted(missed.items())), false_by_kind=dict(sorted(false.items())),
    )


def score_stays(
    truth: Iterable[ScoredStay], detected: Iterable[ScoredStay], *, scored_from: datetime, scored_to: datetime,
    max_offset: timedelta = DEFAULT_MAX_OFFSET,
) -> dict[str, CrossingScore]:
    """Entries and exits scored separately: {"entry": ..., "exit": ...}.

    Crossings the window cuts (a stay running past its edge, cut at midnight by the detector or at
    the window's end by the truth) are not crossings of a sector's edge: leave them out, or give them
    times outside [scored_from, scored_to)."""
    truth, detected = list(truth), list(detected)
    return {c: _score_crossing(c, truth, detected, scored_from, scored_to, max_offset) for c in ("entry", "exit")}
