"""The freshness alert: the `feed_is_fresh` check's question, asked every minute, announced once per
stale spell.

Dagster 1.13 has no public API to read a check's past evaluations, so this sensor asks the check's
question itself (the same query, core/freshness.py's same limit) and keeps the previous answer in
its cursor. It does not wait for the check's five-minute schedule, and it works with the
automation sensor switched off.
"""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from vatstats_assets.core.freshness import FRESHNESS_LIMIT, is_fresh
from vatstats_assets.core.incidents import Change, FreshnessWatch
from vatstats_assets.defs.alerts import messages
from vatstats_assets.defs.alerts.webhook import AlertWebhook
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.summaries import latest_snapshot_at

EVALUATION_INTERVAL_S = 60
CHECK_PAGE = "assets/raw_feed_snapshot?view=checks"


@dg.sensor(
    name="feed_freshness_alert",
    minimum_interval_seconds=EVALUATION_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=f"Every minute, asks what the feed_is_fresh check asks (is the newest snapshot at most "
    f"{FRESHNESS_LIMIT.seconds} s old?) and posts to VATSTATS_ALERT_WEBHOOK_URL when the answer turns to no, "
    "and once when it turns back to yes.",
)
def feed_freshness_alert(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource, alert_webhook: AlertWebhook
) -> dg.SkipReason:
    if not alert_webhook.url:
        return dg.SkipReason("VATSTATS_ALERT_WEBHOOK_URL is not set: nothing to send.")
    now = datetime.now(UTC)
    with warehouse.engine.connect() as conn:
        latest = latest_snapshot_at(conn)
    before = FreshnessWatch.from_cursor(context.cursor)
    after, what = before.observe(is_fresh(latest, now), now)
    # Advanced whether or not the post gets through: a chat outage must not turn into an alert
    # every minute once it is over.
    context.update_cursor(after.to_cursor())
    if latest is None:
        return dg.SkipReason("No feed snapshot is stored yet: nothing to judge.")
    age_s = (now - latest).total_seconds()
    link = alert_webhook.link(CHECK_PAGE)
    if what is Change.OPENED:
        text = messages.feed_stale(age_s, FRESHNESS_LIMIT.total_seconds(), link)
    elif what is Change.CLOSED:
        stale_since = datetime.fromisoformat(before.stale_since) if before.stale_since else None
        text = messages.feed_fresh(age_s, stale_since, link)
    else:
        return dg.SkipReason(f"Newest snapshot {age_s:.0f} s old: {what.value}, nothing to send.")
    sent = alert_webhook.notify(text, log=context.log)
    return dg.SkipReason(f"Newest snapshot {age_s:.0f} s old: {what.value}, {'sent' if sent else 'NOT delivered'}.")
