"""Run alerts: a failed run announces an incident, the first success after it its recovery.

Whether a run opens or closes an incident is read from Dagster's run history (the previous
finished run on the same subject), not kept in a cursor, so it holds however the sensor's ticks
batch the runs and survives a daemon restart.
"""

from __future__ import annotations

import dagster as dg

from vatstats_assets.core.incidents import Change, change, first_line, run_subject
from vatstats_assets.defs.alerts import messages
from vatstats_assets.defs.alerts.webhook import AlertWebhook

FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE]  # a canceled run says nothing
HISTORY_PAGE = 20
# Runs of the hidden asset job are looked through for the same selection this far back, at most.
HISTORY_LIMIT = 200


def subject_of(run: dg.DagsterRun) -> str:
    checks = [f"{c.asset_key.to_user_string()}:{c.name}" for c in run.asset_check_selection or ()]
    return run_subject(run.job_name, [k.to_user_string() for k in run.asset_selection or ()] + checks)


def previous_failed(instance: dg.DagsterInstance, run: dg.DagsterRun) -> bool | None:
    """Whether the last finished run on `run`'s subject created before it failed; None if there is none."""
    subject = subject_of(run)
    record = instance.get_run_record_by_id(run.run_id)
    before = record.create_timestamp if record else None
    for _ in range(HISTORY_LIMIT // HISTORY_PAGE):
        page = instance.get_run_records(
            dg.RunsFilter(job_name=run.job_name, statuses=FINISHED, created_before=before), limit=HISTORY_PAGE
        )
        for earlier in page:
            if earlier.dagster_run.run_id != run.run_id and subject_of(earlier.dagster_run) == subject:
                return earlier.dagster_run.status == dg.DagsterRunStatus.FAILURE
        if len(page) < HISTORY_PAGE:
            break
        before = page[-1].create_timestamp
    return None


def failure_reason(context: dg.RunFailureSensorContext) -> str:
    """The first failed step's error (the sentence a dg.Failure carries), else the run's failure message."""
    for event in context.get_step_failure_events():
        data = event.step_failure_data
        if data.user_failure_data is not None and data.user_failure_data.description:
            return first_line(data.user_failure_data.description)
        if data.error is not None:
            return first_line(data.error.message)
    return first_line(context.failure_event.message) or "no message"


@dg.run_failure_sensor(
    name="run_failure_alert",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Posts to VATSTATS_ALERT_WEBHOOK_URL when a job (or an asset selection run from the UI or "
    "by automation) fails after succeeding: once per incident, not for every failing 15 s ingest run.",
)
def run_failure_alert(context: dg.RunFailureSensorContext, alert_webhook: AlertWebhook) -> dg.SkipReason:
    run = context.dagster_run
    if not alert_webhook.url:
        return dg.SkipReason("VATSTATS_ALERT_WEBHOOK_URL is not set: nothing to send.")
    subject = subject_of(run)
    if change(previous_failed(context.instance, run), failed=True) is not Change.OPENED:
        return dg.SkipReason(f"{subject} was already failing: the same incident, announced before.")
    text = messages.run_failed(subject, run.run_id, failure_reason(context), alert_webhook.link(f"runs/{run.run_id}"))
    sent = alert_webhook.notify(text, log=context.log)
    return dg.SkipReason(f"{subject} started failing: alert {'sent' if sent else 'NOT delivered'}.")


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="run_recovery_alert",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Posts to VATSTATS_ALERT_WEBHOOK_URL when a job that was failing succeeds again, once.",
)
def run_recovery_alert(context: dg.RunStatusSensorContext, alert_webhook: AlertWebhook) -> dg.SkipReason:
    run = context.dagster_run
    if not alert_webhook.url:
        return dg.SkipReason("VATSTATS_ALERT_WEBHOOK_URL is not set: nothing to send.")
    subject = subject_of(run)
    if change(previous_failed(context.instance, run), failed=False) is not Change.CLOSED:
        return dg.SkipReason(f"{subject} was not failing: nothing to announce.")
    sent = alert_webhook.notify(messages.run_recovered(subject, run.run_id, alert_webhook.link(f"runs/{run.run_id}")),
                                log=context.log)
    return dg.SkipReason(f"{subject} recovered: message {'sent' if sent else 'NOT delivered'}.")
