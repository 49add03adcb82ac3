"""The alert webhook: a Slack-compatible incoming webhook that gets `{"text": ...}`."""

from __future__ import annotations

import logging
import time

import dagster as dg
import httpx

from vatstats_assets.settings import Settings

DEFAULT_UI_URL = "http://127.0.0.1:3000"
# A chat service that is down must not hold a sensor tick for long: one quick retry, then give up
# (the sensors log it and carry on; the next incident is announced as usual).
RETRY_PAUSE_S = 1.0


class AlertWebhook(dg.ConfigurableResource):
    """Where alerts go (VATSTATS_ALERT_WEBHOOK_URL; empty sends nothing), and the UI their links point at."""

    url: str = ""
    ui_url: str = DEFAULT_UI_URL
    timeout_s: float = 5.0

    def link(self, path: str) -> str:
        """A link into the Dagster UI, e.g. link('runs/<id>')."""
        return f"{self.ui_url.rstrip('/')}/{path.lstrip('/')}"

    def notify(self, text: str, log: logging.Logger | None = None) -> bool:
        """Post `text`; True when the webhook took it. Never raises: a failure is logged (without
        the URL, which is a secret) and reported as False, so alerting never wedges a sensor."""
        if not self.url:
            return False
        log = log or dg.get_dagster_logger()
        reason = ""
        for attempt in range(2):
            if attempt:
                time.sleep(RETRY_PAUSE_S)
            try:
                response = httpx.post(self.url, json={"text": text}, timeout=self.timeout_s)
            except httpx.HTTPError as error:
                reason = f"{type(error).__name__}: {error}"
                continue
            if response.is_success:
                return True
            reason = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break  # a wrong or revoked webhook: asking again would not help
        log.warning(f"The alert webhook did not take the alert ({reason}); carrying on without it.")
        return False


ALERT_WEBHOOK_KEY = "alert_webhook"


def alert_webhook_from_settings(settings: Settings) -> AlertWebhook:
    # The URL is a secret: given as an EnvVar, so the UI's resource page shows the variable's name.
    return AlertWebhook(
        url=dg.EnvVar("VATSTATS_ALERT_WEBHOOK_URL") if settings.alert_webhook_url else "",
        ui_url=settings.ui_url,
    )
