"""The alerts domain: three sensors posting to the `alert_webhook` resource (webhook.py)."""

import dagster as dg

from vatstats_assets.defs.alerts.freshness import feed_freshness_alert
from vatstats_assets.defs.alerts.runs import run_failure_alert, run_recovery_alert

ALERT_SENSORS = [run_failure_alert, run_recovery_alert, feed_freshness_alert]


def alerts_definitions() -> dg.Definitions:
    return dg.Definitions(sensors=ALERT_SENSORS)
