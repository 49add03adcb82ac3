"""Run alerts against a real Dagster instance on PostgreSQL: runs are executed, then the sensors
are evaluated on them as the daemon would, posting to a local webhook receiver."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from vatstats_assets.defs.alerts import webhook as webhook_module
from vatstats_assets.defs.alerts.runs import run_failure_alert, run_recovery_alert
from vatstats_assets.defs.alerts.webhook import AlertWebhook
from vatstats_assets.storage.server import PostgresServer, ensure_database
from vatstats_tests.support.webhook_receiver import Receiver, webhook_receiver

FEED_DOWN = "The VATSIM feed could not be ingested: HTTP 503 from https://data.vatsim.net/v3/vatsim-data.json"


@pytest.fixture(scope="module")
def instance(postgres_server: PostgresServer, dagster_database: str, tmp_path_factory) -> Iterator[dg.DagsterInstance]:
    """A Dagster instance with dagster-postgres storage in a throwaway database (dropped by the fixture)."""
    ensure_database(postgres_server, dagster_database)
    home: Path = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text(
        f"storage:\n  postgres:\n    postgres_url: \"{postgres_server.url_for(dagster_database)}\"\n"
        "telemetry:\n  enabled: false\n"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        instance = dg.DagsterInstance.get()
    yield instance
    instance.dispose()


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setattr(webhook_module, "RETRY_PAUSE_S", 0.0)
    with webhook_receiver() as receiver:
        yield receiver


class Outcome(dg.Config):
    fail: bool = False


def flaky_job(name: str) -> dg.JobDefinition:
    """A one-op job that fails, as the ingest does when the feed is down, when told to."""

    @dg.op(name=f"{name}_op")
    def fetch(config: Outcome) -> None:
        if config.fail:
            raise dg.Failure(description=FEED_DOWN)

    @dg.job(name=name)
    def job() -> None:
        fetch()

    return job


def execute(instance: dg.DagsterInstance, job: dg.JobDefinition, fail: bool) -> dg.ExecuteInProcessResult:
    config = {"ops": {f"{job.name}_op": {"config": {"fail": fail}}}}
    return job.execute_in_process(run_config=config, instance=instance, raise_on_error=False)


def evaluate(instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult, webhook: AlertWebhook) -> str:
    """Evaluate the sensor that watches this run's outcome, as the daemon would; its skip message."""
    failed = not result.success
    context = dg.build_run_status_sensor_context(
        sensor_name=(run_failure_alert if failed else run_recovery_alert).name,
        dagster_event=result.get_run_failure_event() if failed else result.get_run_success_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={"alert_webhook": webhook},
    )
    reaction = run_failure_alert(context.for_run_failure()) if failed else run_recovery_alert(context)
    assert isinstance(reaction, dg.SkipReason)
    return reaction.skip_message or ""


def test_three_failed_runs_send_one_alert_and_the_next_success_one_recovery(instance, receiver) -> None:
    webhook = AlertWebhook(url=receiver.url, ui_url="http://dagster.example")
    job = flaky_job("ingest_three_failures")
    runs = [execute(instance, job, fail) for fail in (False, True, True, True, False, False)]
    for result in runs:
        evaluate(instance, result, webhook)

    failure, recovery = receiver.texts
    first_failed, recovered = runs[1].run_id, runs[4].run_id
    assert "ingest_three_failures failed" in failure and first_failed[:8] in failure
    assert FEED_DOWN in failure
    assert f"http://dagster.example/runs/{first_failed}" in failure
    assert "ingest_three_failures recovered" in recovery and f"http://dagster.example/runs/{recovered}" in recovery


def test_the_sensors_decide_the_same_when_they_see_the_runs_late(instance, receiver) -> None:
    # The daemon may evaluate a batch of runs after they all finished: the decision comes from
    # the history before each run, not from what the sensor saw last.
    webhook = AlertWebhook(url=receiver.url)
    job = flaky_job("ingest_seen_late")
    runs = [execute(instance, job, fail) for fail in (True, True, False, True)]
    for result in reversed(runs):
        evaluate(instance, result, webhook)
    assert [text.split(":")[0] for text in receiver.texts] == [
        f"[vatstats] ingest_seen_late failed (run {runs[3].run_id[:8]})",
        "[vatstats] ingest_seen_late recovered",
        f"[vatstats] ingest_seen_late failed (run {runs[0].run_id[:8]})",
    ]


def test_a_first_run_that_fails_is_announced(instance, receiver) -> None:
    evaluate(instance, execute(instance, flaky_job("ingest_first_run"), fail=True), AlertWebhook(url=receiver.url))
    assert len(receiver.posts) == 1


def test_a_failing_asset_does_not_share_an_incident_with_a_succeeding_one(instance, receiver) -> None:
    # UI and automation runs all belong to Dagster's hidden asset job; each selection is its own subject.
    @dg.asset
    def network_status_alert_test() -> None:
        raise dg.Failure(description="The warehouse database cannot be reached")

    @dg.asset
    def traffic_movements_alert_test() -> None:
        pass

    asset_job = dg.Definitions(
        assets=[network_status_alert_test, traffic_movements_alert_test]
    ).resolve_implicit_global_asset_job_def()
    webhook = AlertWebhook(url=receiver.url)
    for asset in [network_status_alert_test, traffic_movements_alert_test] * 3:
        result = asset_job.execute_in_process(instance=instance, asset_selection=[asset.key], raise_on_error=False)
        evaluate(instance, result, webhook)
    assert len(receiver.texts) == 1
    assert receiver.texts[0].startswith("[vatstats] network_status_alert_test failed")


def test_nothing_is_sent_or_looked_up_without_a_webhook(instance, receiver) -> None:
    reason = evaluate(instance, execute(instance, flaky_job("ingest_no_webhook"), fail=True), AlertWebhook(url=""))
    assert "not set" in reason and receiver.posts == []


def test_a_webhook_that_fails_does_not_fail_the_sensor(instance, receiver) -> None:
    receiver.statuses = [500, 500]
    reason = evaluate(instance, execute(instance, flaky_job("ingest_chat_down"), fail=True),
                      AlertWebhook(url=receiver.url))
    assert "NOT delivered" in reason and len(receiver.posts) == 2
