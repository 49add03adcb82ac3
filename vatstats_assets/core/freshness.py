"""How old the newest feed snapshot may be: one limit for the check, its alert and the ingest
tables' freshness policy, so the UI, the check and the webhook never disagree."""

from __future__ import annotations

from datetime import datetime, timedelta

# Four missed 15 s snapshots: longer than any hiccup the ingest retry policy absorbs. Also
# Dagster's smallest freshness-policy window (1 minute).
FRESHNESS_LIMIT = timedelta(seconds=60)


def is_fresh(latest: datetime | None, now: datetime) -> bool | None:
    """Whether the newest snapshot (stored at `latest`) is within the limit; None when none is stored."""
    if latest is None:
        return None
    return now - latest <= FRESHNESS_LIMIT
