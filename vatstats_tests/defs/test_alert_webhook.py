"""The alert webhook posts Slack-compatible JSON to a real local receiver, and nothing when unset."""

from __future__ import annotations

import logging
import socket

import pytest

from vatstats_assets.defs.alerts import webhook as webhook_module
from vatstats_assets.defs.alerts.webhook import AlertWebhook
from vatstats_tests.support.webhook_receiver import webhook_receiver


@pytest.fixture(autouse=True)
def no_retry_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webhook_module, "RETRY_PAUSE_S", 0.0)


def test_an_alert_is_posted_as_slack_json_text() -> None:
    with webhook_receiver() as receiver:
        assert AlertWebhook(url=receiver.url).notify("ingest_job failed")
    assert receiver.posts == [{"text": "ingest_job failed"}]
    assert receiver.content_types == ["application/json"]


def test_nothing_is_sent_when_no_webhook_is_set() -> None:
    with webhook_receiver() as receiver:
        assert not AlertWebhook(url="").notify("ingest_job failed")
    assert receiver.posts == []


def test_a_server_error_is_retried_once() -> None:
    with webhook_receiver() as receiver:
        receiver.statuses = [503]
        assert AlertWebhook(url=receiver.url).notify("hello")
    assert receiver.texts == ["hello", "hello"]


def test_a_webhook_that_keeps_failing_is_logged_not_raised_and_the_url_stays_secret(caplog) -> None:
    log = logging.getLogger("alert-test")
    with webhook_receiver() as receiver, caplog.at_level(logging.WARNING, logger="alert-test"):
        receiver.statuses = [500, 500]
        assert not AlertWebhook(url=receiver.url).notify("hello", log=log)
    assert len(receiver.posts) == 2
    assert "HTTP 500" in caplog.text and receiver.url not in caplog.text


def test_a_refused_webhook_is_not_asked_again() -> None:
    with webhook_receiver() as receiver:
        receiver.statuses = [404]
        assert not AlertWebhook(url=receiver.url).notify("hello")
    assert len(receiver.posts) == 1


def test_an_unreachable_webhook_is_reported_not_raised() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert not AlertWebhook(url=f"http://127.0.0.1:{port}/hook", timeout_s=1).notify("hello")


def test_links_point_into_the_configured_ui() -> None:
    assert AlertWebhook().link("runs/abc") == "http://127.0.0.1:3000/runs/abc"
    assert AlertWebhook(ui_url="https://dagster.example/").link("/runs/abc") == "https://dagster.example/runs/abc"
