"""What the alerts say: one short text each, readable in any chat (no Slack-only markup)."""

from __future__ import annotations

from datetime import datetime


def run_failed(subject: str, run_id: str, reason: str, link: str) -> str:
    return (
        f"[vatstats] {subject} failed (run {run_id[:8]}): {reason}\n{link}\n"
        f"Further failures of {subject} are not announced until it succeeds again."
    )


def run_recovered(subject: str, run_id: str, link: str) -> str:
    return f"[vatstats] {subject} recovered: run {run_id[:8]} succeeded.\n{link}"


def feed_stale(age_s: float, limit_s: float, link: str) -> str:
    return (
        f"[vatstats] The VATSIM feed is stale: the newest stored snapshot is {age_s:.0f} s old "
        f"(limit {limit_s:.0f} s). Nothing more is sent until it is fresh again.\n{link}"
    )


def feed_fresh(age_s: float, stale_since: datetime | None, link: str) -> str:
    since = f" (stale since {stale_since:%Y-%m-%d %H:%M:%S} UTC)" if stale_since else ""
    return f"[vatstats] The VATSIM feed is fresh again: the newest snapshot is {age_s:.0f} s old{since}.\n{link}"
