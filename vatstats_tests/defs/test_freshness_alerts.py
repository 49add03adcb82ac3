"""The freshness alert: the feed going stale is announced once, and its recovery once, to a local
webhook receiver, judged from a real warehouse."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest
import sqlalchemy as sa

from vatstats_assets.defs.alerts import webhook as webhook_module
from vatstats_assets.defs.alerts.freshness import feed_freshness_alert
from vatstats_assets.defs.alerts.webhook import AlertWebhook
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_tests.support.warehouse_rows import add_snapshots, snapshot
from vatstats_tests.support.webhook_receiver import Receiver, webhook_receiver


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setattr(webhook_module, "RETRY_PAUSE_S", 0.0)
    with webhook_receiver() as receiver:
        yield receiver


def newest_snapshot_aged(engine: sa.Engine, age: timedelta) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE vatstats.feed_snapshots")
    add_snapshots(engine, [snapshot(datetime.now(UTC) - age)])


class Sensor:
    """Evaluates the sensor tick after tick, carrying its cursor as the daemon does."""

    def __init__(self, database_url: str, webhook_url: str) -> None:
        self.resources = {"warehouse": WarehouseResource(database_url=database_url),
                          "alert_webhook": AlertWebhook(url=webhook_url)}
        self.cursor: str | None = None

    def tick(self) -> str:
        context = dg.build_sensor_context(cursor=self.cursor, resources=self.resources)
        reaction = feed_freshness_alert(context)
        self.cursor = context.cursor
        assert isinstance(reaction, dg.SkipReason)
        return reaction.skip_message or ""


FRESH, STALE = timedelta(seconds=5), timedelta(minutes=10)


def test_a_stale_feed_is_announced_once_and_its_recovery_once(engine, database_url, receiver) -> None:
    sensor = Sensor(database_url, receiver.url)
    for age in (FRESH, STALE, STALE, STALE, FRESH, FRESH):
        newest_snapshot_aged(engine, age)
        sensor.tick()
    stale, fresh = receiver.texts
    assert "The VATSIM feed is stale" in stale
    # The age is measured when the sensor ticks; under CI load that is a second or two later.
    age = re.search(r"snapshot is (\d+) s old \(limit 60 s\)", stale)
    assert age and 600 <= int(age.group(1)) < 630
    assert "http://127.0.0.1:3000/assets/raw_feed_snapshot?view=checks" in stale
    assert "fresh again" in fresh and "stale since" in fresh


def test_a_feed_stale_at_the_first_look_is_announced(engine, database_url, receiver) -> None:
    newest_snapshot_aged(engine, STALE)
    assert "opened, sent" in Sensor(database_url, receiver.url).tick()
    assert len(receiver.posts) == 1


def test_an_empty_warehouse_is_not_judged(engine, database_url, receiver) -> None:
    assert "No feed snapshot is stored yet" in Sensor(database_url, receiver.url).tick()
    assert receiver.posts == []


def test_nothing_is_sent_without_a_webhook(engine, database_url, receiver) -> None:
    newest_snapshot_aged(engine, STALE)
    assert "not set" in Sensor(database_url, "").tick()
    assert receiver.posts == []


def test_a_chat_outage_is_not_repeated_every_minute(engine, database_url, receiver) -> None:
    receiver.statuses = [500, 500]
    sensor = Sensor(database_url, receiver.url)
    newest_snapshot_aged(engine, STALE)
    assert "NOT delivered" in sensor.tick()
    sensor.tick()
    assert len(receiver.posts) == 2  # the first tick's post and its one retry, nothing after
