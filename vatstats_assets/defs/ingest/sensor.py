"""The feed sensor: ask for an ingest run whenever the feed has a new snapshot (one every 15 s).

The sensor never downloads a snapshot: it asks for the first 2 KB, conditionally on the validators
of the last answer (FeedClient.check_for_new_snapshot), so a new snapshot costs a few KB and an
unchanged one a 304. The run it requests makes the one full download of each snapshot.
"""


import time
from datetime import UTC, datetime, timedelta

import dagster as dg

from vatstats_assets.core.backoff import FeedPollState
from vatstats_assets.core.feed import FeedFormatError
from vatstats_assets.defs.ingest.jobs import INGEST_LANE_TAG, ingest_job
from vatstats_assets.defs.resources import FeedResource
from vatstats_assets.feed_client import FeedRateLimited, FeedUnavailable, Validators

# The daemon's sensor loop comes round every 5 s. A minimum interval of 5 s would skip a loop
# whenever the previous tick started a moment late (another sensor evaluated first), polling 10 s
# apart; 1 s lets every loop evaluate this sensor. The feed is polled only when a new snapshot is
# due (core/backoff.py), and a poll due before the next loop is waited for, so it is made on time.
EVALUATION_INTERVAL_S = 1
DAEMON_LOOP = timedelta(seconds=5)


@dg.sensor(
    name="vatsim_feed_sensor",
    job=ingest_job,
    minimum_interval_seconds=EVALUATION_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Polls the VATSIM feed once per 15 s snapshot, in step with its cadence, with a conditional "
    "request for the first 2 KB (never the whole body), and requests one ingest run per new "
    "general.update_timestamp (the run key). Backs off after repeated feed failures.",
)
def vatsim_feed_sensor(context: dg.SensorEvaluationContext, feed: FeedResource):
    now = datetime.now(UTC)
    state = FeedPollState.from_cursor(context.cursor)
    if state.paused_at(now):
        return dg.SkipReason(
            f"Backing off after {state.consecutive_failures} consecutive feed failures "
            f"(last: {state.last_error}); next poll after {state.paused_until}."
        )
    wait = state.wait_before_poll(now, within=DAEMON_LOOP)
    if wait is None:
        # No request: the next snapshot is not due before the next loop. The cursor is unchanged.
        return dg.SkipReason(f"Next snapshot due at {state.next_poll_at()}; not polled.")
    if wait:
        time.sleep(wait.total_seconds())
        now = datetime.now(UTC)
    state = state.polled(now)
    since = None
    if state.data_url and state.last_update_timestamp:  # validators mean nothing without the snapshot
        since = Validators(state.data_url, state.etag, state.last_modified)
    try:
        with feed.client() as client:
            check = client.check_for_new_snapshot(since)
    except FeedRateLimited as error:
        state = state.after_failure(now, str(error), timedelta(seconds=error.retry_after_s))
    except (FeedUnavailable, FeedFormatError) as error:
        state = state.after_failure(now, str(error))
    else:
        validators = check.validators or Validators(check.url)
        # A 304 answers only a request that sent validators, which are sent only with a known snapshot.
        stamp = state.last_update_timestamp if check.update_timestamp is None else check.update_timestamp.isoformat()
        assert stamp is not None
        context.update_cursor(state.after_success(
            stamp, data_url=validators.url, etag=validators.etag, last_modified=validators.last_modified,
        ).to_cursor())
        if stamp == state.last_update_timestamp:
            return dg.SkipReason(f"No new snapshot since {stamp}{' (HTTP 304)' if check.unchanged else ''}.")
        return dg.RunRequest(
            run_key=stamp,
            run_config=dg.RunConfig(ops={"ingest_snapshot": {"config": {
                "expected_update_timestamp": stamp, "data_url": check.url}}}),
            tags={**INGEST_LANE_TAG, "vatstats/update_timestamp": stamp},
        )
    context.update_cursor(state.to_cursor())
    pause = f"; pausing until {state.paused_until}" if state.paused_until else ""
    return dg.SkipReason(f"Feed failure {state.consecutive_failures}: {state.last_error}{pause}.")
