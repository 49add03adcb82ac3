"""The feed sensor's circuit breaker, as pure state transitions (kept in the sensor's cursor).

After FAILURES_BEFORE_BACKOFF consecutive failures the sensor stops polling for a while, doubling
the pause on each further failure up to MAX_PAUSE; a 429's Retry-After is honoured when longer.
The first success closes the breaker.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

FAILURES_BEFORE_BACKOFF = 3  # one or two blips are normal for a feed regenerated every 15 s
BASE_PAUSE = timedelta(seconds=30)  # two polling intervals: long enough to matter, short to recover
MAX_PAUSE = timedelta(minutes=10)  # an outage longer than this is still noticed within 10 minutes


@dataclass(frozen=True)
class FeedPollState:
    last_update_timestamp: str | None = None
    consecutive_failures: int = 0
    paused_until: str | None = None
    last_error: str | None = None

    def to_cursor(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_cursor(cls, cursor: str | None) -> FeedPollState:
        if not cursor:
            return cls()
        try:
            return cls(**json.loads(cursor))
        except (ValueError, TypeError):
            return cls()  # an unreadable cursor (older format) just starts fresh

    def paused_at(self, now: datetime) -> bool:
        return self.paused_until is not None and now < datetime.fromisoformat(self.paused_until)

    def after_failure(self, now: datetime, error: str, retry_after: timedelta | None = None) -> FeedPollState:
        failures = self.consecutive_failures + 1
        pause = timedelta(0)
        if failures >= FAILURES_BEFORE_BACKOFF:
            pause = min(BASE_PAUSE * 2 ** (failures - FAILURES_BEFORE_BACKOFF), MAX_PAUSE)
        if retry_after is not None:
            pause = max(pause, retry_after)
        until = (now + pause).isoformat() if pause else None
        return replace(self, consecutive_failures=failures, paused_until=until, last_error=error)

    def after_success(self, update_timestamp: str) -> FeedPollState:
        return FeedPollState(last_update_timestamp=update_timestamp)
