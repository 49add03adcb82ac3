"""Read what a `vatstats dev` or `vatstats backfill` process recorded in Dagster's own storage.

Both commands keep Dagster's runs and event logs in PostgreSQL (dagster.yaml copied into
DAGSTER_HOME, storage URL in VATSTATS_DAGSTER_PG_URL). The benchmarks open the same instance
through Dagster's public API, with those two variables set only while they read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg


@contextmanager
def dagster_instance(dagster_home: Path, dagster_pg_url: str) -> Iterator[dg.DagsterInstance]:
    wanted = {"DAGSTER_HOME": str(dagster_home), "VATSTATS_DAGSTER_PG_URL": dagster_pg_url}
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    instance = dg.DagsterInstance.get()
    try:
        yield instance
    finally:
        instance.dispose()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass(frozen=True)
class RunTimes:
    run_id: str
    job_name: str
    status: str
    tags: dict[str, str]
    created: float  # epoch seconds: queued (for sensor runs, the sensor tick's request)
    started: float | None  # RUN_START: the run worker is up and executing
    ended: float | None  # RUN_SUCCESS / RUN_FAILURE

    @property
    def seconds(self) -> float | None:
        return self.ended - self.started if self.started and self.ended else None


def run_times(instance: dg.DagsterInstance, job_name: str | None = None) -> list[RunTimes]:
    """Every run (of `job_name` if given), oldest first."""
    filters = dg.RunsFilter(job_name=job_name) if job_name else None
    records = instance.get_run_records(filters=filters, ascending=True)
    return [
        RunTimes(
            run_id=record.dagster_run.run_id,
            job_name=record.dagster_run.job_name,
            status=record.dagster_run.status.value,
            tags=dict(record.dagster_run.tags),
            created=_epoch(record.create_timestamp),
            started=record.start_time,
            ended=record.end_time,
        )
        for record in records
    ]


def materializations(instance: dg.DagsterInstance, asset: str, limit: int = 10_000) -> list[dict[str, Any]]:
    """The asset's materialisations, oldest first: run id, event time (epoch s), plain metadata values."""
    result = instance.fetch_materializations(dg.AssetKey(asset), limit=limit, ascending=True)
    rows = []
    for record in result.records:
        materialization = record.asset_materialization
        metadata = {key: getattr(value, "value", value) for key, value in (materialization.metadata or {}).items()} \
            if materialization else {}
        rows.append({"run_id": record.run_id, "timestamp": record.timestamp, "partition": record.partition_key,
                     "metadata": metadata})
    return rows


def _epoch(moment: datetime | float) -> float:
    if isinstance(moment, datetime):
        # Dagster's run storage keeps naive UTC datetimes.
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    return float(moment)
