"""The feed sensor's polling rhythm and circuit breaker, as pure state (kept in the sensor's cursor).

Rhythm: the feed publishes a snapshot every 15 s. Polling on a plain 15 s timer drifts against
that cadence (the daemon's ticks come every 15 s *plus* their own run time) and now and then
skips a snapshot. So the sensor is evaluated often but polls only when a new snapshot is due:
FEED_CADENCE after the last snapshot seen (plus a little publication margin), and never sooner
than MIN_POLL_GAP after its previous poll. That is one poll per snapshot on average, locked to
the feed's phase.

Validators: the data URL's ETag and Last-Modified from the last answer ride along in the cursor, so
the next poll can ask "changed since?" and an unchanged feed answers 304 with no body.

Breaker: after FAILURES_BEFORE_BACKOFF consecutive failures the sensor stops polling for a while,
doubling the pause on each further failure up to MAX_PAUSE; a 429's Retry-After is honoured when
longer. The first success closes the breaker.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

FAILURES_BEFORE_BACKOFF = 3  # one or two blips are normal for a feed regenerated every 15 s
BASE_PAUSE = timedelta(seconds=30)  # two polling intervals: long enough to matter, short to recover
MAX_PAUSE = timedelta(minutes=10)  # an outage longer than this is still noticed within 10 minutes

FEED_CADENCE = timedelta(seconds=15)  # VATSIM regenerates the feed every 15 s
PUBLISH_MARGIN = timedelta(seconds=1)  # a snapshot is served a moment after its update_timestamp
# A poll that comes too early costs a 304 and no body (the validators in the cursor), so a snapshot
# not yet out is asked for again at the daemon's next loop (5 s): the gap is just below it. Still
# far from hammering: at most three checks per 15 s, and usually one.
MIN_POLL_GAP = timedelta(seconds=4)


@dataclass(frozen=True)
class FeedPollState:
    last_update_timestamp: str | None = None
    consecutive_failures: int = 0
    paused_until: str | None = None
    last_error: str | None = None
    last_polled_at: str | None = None
    data_url: str | None = None  # the URL the validators below came from
    etag: str | None = None
    last_modified: str | None = None

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

    def next_poll_at(self) -> datetime | None:
        """When a poll can next find something new (None: at once)."""
        due = []
        if self.last_polled_at is not None:
            due.append(datetime.fromisoformat(self.last_polled_at) + MIN_POLL_GAP)
        if self.last_update_timestamp is not None:
            due.append(datetime.fromisoformat(self.last_update_timestamp) + FEED_CADENCE + PUBLISH_MARGIN)
        return max(due) if due else None

    def poll_due_at(self, now: datetime) -> bool:
        due = self.next_poll_at()
        return due is None or now >= due

    def wait_before_poll(self, now: datetime, within: timedelta) -> timedelta | None:
        """How long until the next poll is due (zero: due now), or None if not within `within`.

        The daemon evaluates the sensor only every few seconds; a poll due before the next
        evaluation is better waited for than made one loop late.
        """
        due = self.next_poll_at()
        if due is None or due <= now:
            return timedelta(0)
        return due - now if due - now <= within else None

    def polled(self, now: datetime) -> FeedPollState:
        return replace(self, last_polled_at=now.isoformat())

    def after_failure(self, now: datetime, error: str, retry_after: timedelta | None = None) -> FeedPollState:
        failures = self.consecutive_failures + 1
        pause = timedelta(0)
        if failures >= FAILURES_BEFORE_BACKOFF:
            pause = min(BASE_PAUSE * 2 ** (failures - FAILURES_BEFORE_BACKOFF), MAX_PAUSE)
        if retry_after is not None:
            pause = max(pause, retry_after)
        until = (now + pause).isoformat() if pause else None
        return replace(self, consecutive_failures=failures, paused_until=until, last_error=error)

    def after_success(
        self, update_timestamp: str, *, data_url: str | None = None, etag: str | None = None,
        last_modified: str | None = None,
    ) -> FeedPollState:
        return FeedPollState(last_update_timestamp=update_timestamp, last_polled_at=self.last_polled_at,
                             data_url=data_url, etag=etag, last_modified=last_modified)
