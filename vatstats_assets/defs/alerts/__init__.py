"""Who hears about failures: run and freshness alerts to a Slack-compatible webhook, once per incident.

Register ALERT_SENSORS with the definitions and an `alert_webhook` resource (AlertWebhook).
"""

from vatstats_assets.defs.alerts.freshness import feed_freshness_alert
from vatstats_assets.defs.alerts.runs import run_failure_alert, run_recovery_alert
from vatstats_assets.defs.alerts.webhook import AlertWebhook

ALERT_WEBHOOK_KEY = "alert_webhook"
ALERT_SENSORS = [run_failure_alert, run_recovery_alert, feed_freshness_alert]

__all__ = ["ALERT_SENSORS", "ALERT_WEBHOOK_KEY", "AlertWebhook"]
