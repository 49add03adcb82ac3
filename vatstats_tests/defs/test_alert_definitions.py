"""The alert sensors as they are registered: running from the first start, loadable with the
resources the settings build, and the webhook taken from the environment."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from vatstats_assets.defs.alerts.definitions import ALERT_SENSORS, alerts_definitions
from vatstats_assets.defs.alerts.freshness import feed_freshness_alert
from vatstats_assets.defs.alerts.webhook import ALERT_WEBHOOK_KEY, alert_webhook_from_settings
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.settings import Settings
from vatstats_tests.support.warehouse_rows import add_snapshots, snapshot
from vatstats_tests.support.webhook_receiver import Receiver, webhook_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as receiver:
        yield receiver


def test_every_alert_sensor_runs_from_the_first_start() -> None:
    assert {s.name for s in ALERT_SENSORS} == {"run_failure_alert", "run_recovery_alert", "feed_freshness_alert"}
    assert all(s.default_status == dg.DefaultSensorStatus.RUNNING for s in ALERT_SENSORS)


def test_the_alert_sensors_load_with_the_resources_the_settings_build() -> None:
    settings = Settings.from_env({"VATSTATS_ALERT_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/X"})
    resources = {"warehouse": WarehouseResource(), ALERT_WEBHOOK_KEY: alert_webhook_from_settings(settings)}
    dg.Definitions.validate_loadable(dg.Definitions.merge(alerts_definitions(), dg.Definitions(resources=resources)))


@pytest.mark.parametrize("configured", [True, False])
def test_the_webhook_is_the_one_in_the_environment_and_none_when_unset(
    configured: bool, engine, database_url, receiver, monkeypatch
) -> None:
    if configured:
        monkeypatch.setenv("VATSTATS_ALERT_WEBHOOK_URL", receiver.url)
    else:
        monkeypatch.delenv("VATSTATS_ALERT_WEBHOOK_URL", raising=False)
    add_snapshots(engine, [snapshot(datetime.now(UTC) - timedelta(minutes=10))])
    webhook = alert_webhook_from_settings(Settings.from_env())
    context = dg.build_sensor_context(
        resources={"warehouse": WarehouseResource(database_url=database_url), ALERT_WEBHOOK_KEY: webhook}
    )
    feed_freshness_alert(context)
    assert len(receiver.posts) == (1 if configured else 0)
