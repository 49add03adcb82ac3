"""Score detected ATC contacts against ground truth: precision, recall and the error in covered time.

Contacts are compared per pair of connections (pilot connection, controller connection), by interval
overlap: a detected contact is right when it overlaps a true contact of the same pair, a true contact
is found when a detected one of the same pair overlaps it. Overlapping contacts of one pair form a
*group* (one true contact and the two rows a daily partition cut it into at midnight; two true contacts
the feed saw as one), and a group's covered time is compared as a whole: detected seconds minus true
seconds, one error per group.

What 15 s snapshots can see: a true contact lasting at least one snapshot interval contains a
snapshot, so it must be found; a shorter one may fall between two and is counted apart
(`unobservable`), neither a miss nor, when found anyway, a problem. Likewise a gap shorter than one
interval between two true contacts of a pair may hold no snapshot, so the truth is joined across it
before scoring (a detected gap is always real: some snapshot showed no contact). A group's covered
time is then off by up to one interval under the half-interval rule (half an interval at each end),
the tolerance the error is reported against.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

ConnectionKey = tuple[int, str, datetime]  # cid, callsign, logon_time

OBSERVABLE_S = 15.0  # the feed's snapshot interval (core/coverage_rules.py SNAPSHOT_INTERVAL_S)
TOLERANCE_S = 15.0  # covered time of a matched contact: within one snapshot interval


@dataclass(frozen=True, slots=True)
class ScoredContact:
    pilot: ConnectionKey
    atc: ConnectionKey
    facility: int
    channel_hz: int
    started_at: datetime
    ended_at: datetime

    @property
    def seconds(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()


@dataclass(frozen=True)
class ContactScore:
    true: int
    detected: int
    matched_true: int
    matched_detected: int
    unobservable: int  # true contacts shorter than a snapshot interval that were not found
    true_seconds: float
    detected_seconds: float
    errors_s: tuple[float, ...]  # detected minus true covered seconds, per group of overlapping contacts
    missed_by_facility: dict[int, int]
    false_by_facility: dict[int, int]

    @property
    def precision(self) -> float:
        return self.matched_detected / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        observable = self.true - self.unobservable
        return self.matched_true / observable if observable else 1.0

    def _absolute(self) -> list[float]:
        return sorted(abs(e) for e in self.errors_s)

    @property
    def median_error_s(self) -> float | None:
        return statistics.median(self._absolute()) if self.errors_s else None

    @property
    def p95_error_s(self) -> float | None:
        errors = self._absolute()
        return errors[min(len(errors) - 1, int(0.95 * len(errors)))] if errors else None

    @property
    def max_error_s(self) -> float | None:
        return max(self._absolute()) if self.errors_s else None

    @property
    def within_tolerance(self) -> float:
        """Share of groups whose covered time is within one snapshot interval of the truth."""
        if not self.errors_s:
            return 1.0
        return sum(1 for e in self.errors_s if abs(e) <= TOLERANCE_S) / len(self.errors_s)


def _clipped(contacts: Iterable[ScoredContact], start: datetime, end: datetime) -> list[ScoredContact]:
    kept = []
    for c in contacts:
        began, ended = max(c.started_at, start), min(c.ended_at, end)
        if ended > began:
            kept.append(replace(c, started_at=began, ended_at=ended))
    return kept


def _by_pair(contacts: list[ScoredContact], join_gap_s: float | None) -> dict[tuple[ConnectionKey, ConnectionKey],
                                                                          list[ScoredContact]]:
    """Contacts per pair in time order; with `join_gap_s`, those of a pair closer than it joined into one."""
    by_pair: dict[tuple[ConnectionKey, ConnectionKey], list[ScoredContact]] = defaultdict(list)
    for c in sorted(contacts, key=lambda c: (c.pilot, c.atc, c.started_at)):
        runs = by_pair[(c.pilot, c.atc)]
        if join_gap_s is not None and runs and (c.started_at - runs[-1].ended_at).total_seconds() < join_gap_s:
            runs[-1] = replace(runs[-1], ended_at=max(runs[-1].ended_at, c.ended_at))
        else:
            runs.append(c)
    return by_pair


def _groups(wanted: list[ScoredContact], found: list[ScoredContact]) -> list[tuple[list[int], list[int]]]:
    """Overlapping contacts of one pair as groups: (true indexes, detected indexes), each group joined by
    overlaps between its true and its detected contacts."""
    parent = list(range(len(wanted) + len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for ti, t in enumerate(wanted):
        for di, d in enumerate(found):
            if t.started_at < d.ended_at and d.started_at < t.ended_at:
                parent[root(ti)] = root(len(wanted) + di)
    members: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(len(parent)):
        true_ids, found_ids = members.setdefault(root(i), ([], []))
        (true_ids if i < len(wanted) else found_ids).append(i if i < len(wanted) else i - len(wanted))
    return list(members.values())


def score_contacts(truth: Iterable[ScoredContact], detected: Iterable[ScoredContact], *, scored_from: datetime,
                   scored_to: datetime, observable_s: float = OBSERVABLE_S) -> ContactScore:
    """Contacts inside [scored_from, scored_to] (both sides clipped to it) matched by overlap per pair."""
    true_pairs = _by_pair(_clipped(truth, scored_from, scored_to), observable_s)
    found_pairs = _by_pair(_clipped(detected, scored_from, scored_to), None)
    true_count = found_count = matched_true = matched_found = unobservable = 0
    true_seconds = found_seconds = 0.0
    errors: list[float] = []
    missed: dict[int, int] = defaultdict(int)
    false: dict[int, int] = defaultdict(int)
    for pair in sorted(set(true_pairs) | set(found_pairs)):
        wanted, found = true_pairs.get(pair, []), found_pairs.get(pair, [])
        true_count += len(wanted)
        found_count += len(found)
        true_seconds += sum(c.seconds for c in wanted)
        found_seconds += sum(c.seconds for c in found)
        for true_ids, found_ids in _groups(wanted, found):
            if true_ids and found_ids:
                matched_true += len(true_ids)
                matched_found += len(found_ids)
                errors.append(sum(found[i].seconds for i in found_ids) - sum(wanted[i].seconds for i in true_ids))
            for i in found_ids if not true_ids else ():
                false[found[i].facility] += 1
            for i in true_ids if not found_ids else ():
                if wanted[i].seconds < observable_s:
                    unobservable += 1
                else:
                    missed[wanted[i].facility] += 1
    return ContactScore(
        true=true_count, detected=found_count, matched_true=matched_true, matched_detected=matched_found,
        unobservable=unobservable, true_seconds=true_seconds, detected_seconds=found_seconds,
        errors_s=tuple(errors), missed_by_facility=dict(sorted(missed.items())),
        false_by_facility=dict(sorted(false.items())),
    )
