"""Who hears about failures: run and freshness alerts to a Slack-compatible webhook, once per incident.

`definitions.py` holds the sensors (ALERT_SENSORS, alerts_definitions()); `webhook.py` the
`alert_webhook` resource. Nothing is imported here, so that defs/resources.py can import the
resource without importing the sensors, which import defs/resources.py themselves.
"""
