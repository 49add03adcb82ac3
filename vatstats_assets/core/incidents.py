"""When an alert is due: once when something starts failing, once when it works again.

Ingest runs every 15 s, so during a feed outage every run fails, and the freshness check fails at
each evaluation; an alert for each would bury the one that matters. A failure after a success (or
after nothing at all) opens an incident and is announced; failures after it belong to the same
incident and are not; the first success after it closes the incident with one "recovered" message.

Pure Python (no Dagster, no database): the sensors in defs/alerts feed it outcomes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import Enum


class Change(Enum):
    QUIET = "quiet"  # healthy, as before: nothing to say
    OPENED = "opened"  # the first failure: alert
    ONGOING = "ongoing"  # a failure after a failure: the same incident, nothing to say
    CLOSED = "closed"  # the first success after failures: say it recovered, once


def change(previous_failed: bool | None, failed: bool) -> Change:
    """What an outcome means, given the one before it (None: there was none)."""
    if failed:
        return Change.ONGOING if previous_failed else Change.OPENED
    return Change.CLOSED if previous_failed else Change.QUIET


def run_subject(job_name: str, selection: Iterable[str]) -> str:
    """What a run's incident is about: a named job, or for Dagster's hidden asset job (`__ASSET_JOB`:
    the UI's Materialize, automation conditions) the assets and checks it ran, so that a failing
    `network_status` and a succeeding `traffic_movements` are not one incident opening and closing."""
    if not job_name.startswith("__"):
        return job_name
    names = sorted(selection)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return shown or job_name


def first_line(message: str | None, limit: int = 300) -> str:
    """The first non-empty line of an error message, cut to `limit` characters."""
    line = next((text.strip() for text in (message or "").splitlines() if text.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class FreshnessWatch:
    """What the freshness alert remembers between evaluations (kept in its sensor's cursor)."""

    evaluated: bool = False  # whether freshness was ever judged (a stale first judgement alerts)
    stale_since: str | None = None  # ISO time the open incident began; None when fresh

    @classmethod
    def from_cursor(cls, cursor: str | None) -> FreshnessWatch:
        return cls(**json.loads(cursor)) if cursor else cls()

    def to_cursor(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def observe(self, fresh: bool | None, now: datetime) -> tuple[FreshnessWatch, Change]:
        """Fold in one judgement (None: nothing stored yet, nothing to judge) and say what changed."""
        if fresh is None:
            return self, Change.QUIET
        previous_failed = (self.stale_since is not None) if self.evaluated else None
        what = change(previous_failed, failed=not fresh)
        stale_since = now.isoformat() if what is Change.OPENED else None if fresh else self.stale_since
        return replace(self, evaluated=True, stale_since=stale_since), what
