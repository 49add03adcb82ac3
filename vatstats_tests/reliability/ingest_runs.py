"""Ingest runs through Dagster, with the whole run log kept for inspection."""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg

from vatstats_assets.defs.conventions import INGEST_LANE_TAG
from vatstats_assets.defs.ingest.assets import ingest_snapshot
from vatstats_tests.support.definitions import run_resources

# The feed timeout of test runs: well above the simulator's `slow` delay, well below its `timeout` one.
FEED_TIMEOUT_S = 1.0


@dataclass
class IngestRun:
    result: dg.ExecuteInProcessResult
    log: list[dg.EventLogEntry]

    @property
    def success(self) -> bool:
        return self.result.success

    @property
    def text(self) -> str:
        """Everything the run recorded, serialised: messages, errors, metadata, tags and config."""
        parts = [dg.serialize_value(entry) for entry in self.log]
        parts += [dg.serialize_value(self.result.dagster_run)]
        return "\n".join(parts)

    @property
    def messages(self) -> list[str]:
        """What a reader of the run's log sees: log lines and the errors of failed attempts."""
        lines = []
        for entry in self.log:
            lines.append(entry.user_message)
            event = entry.dagster_event
            data = event.event_specific_data if event else None
            error = getattr(data, "error", None)
            while error is not None:  # a retry's error wraps the failure that caused it
                lines.append(error.message)
                error = error.cause
            user_failure = getattr(data, "user_failure_data", None)
            if user_failure is not None and user_failure.description:
                lines.append(user_failure.description)
        return lines

    def events_of(self, kind: dg.DagsterEventType) -> list[dg.DagsterEvent]:
        return [e.dagster_event for e in self.log if e.dagster_event and e.dagster_event.event_type == kind]

    @property
    def materialized(self) -> set[str]:
        return {
            e.event_specific_data.materialization.asset_key.to_user_string()
            for e in self.result.get_asset_materialization_events()
        }


def ingest_resources(
    database_url: str | dg.EnvVar, feed_url: str, *, region: str = "global", store_names: bool = True,
    timeout_s: float = FEED_TIMEOUT_S,
) -> dict[str, dg.ConfigurableResource]:
    return run_resources(database_url, feed_url=feed_url, region=region, store_names=store_names,
                         feed_timeout_s=timeout_s)


def run_ingest(resources: dict[str, dg.ConfigurableResource], **config: object) -> IngestRun:
    """One ingest run as the sensor would request it, on its own ephemeral instance."""
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [ingest_snapshot],
        resources=resources,
        instance=instance,
        run_config={"ops": {"ingest_snapshot": {"config": config}}} if config else None,
        tags=INGEST_LANE_TAG,
        raise_on_error=False,
    )
    return IngestRun(result, instance.all_logs(result.run_id))
