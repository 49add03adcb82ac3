"""Bounded storage: old warehouse partitions are dropped whole, and Dagster's own history levels off."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from vatstats_assets.core.backoff import FEED_CADENCE
from vatstats_assets.definitions import build_resources
from vatstats_assets.defs.ingest.assets import ingest_snapshot
from vatstats_assets.defs.ingest.jobs import ingest_job
from vatstats_assets.defs.maintenance.assets import warehouse_retention
from vatstats_assets.defs.maintenance.schedules import PRUNE_BATCH, prune_runs_before
from vatstats_assets.settings import Settings
from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_assets.storage.partitions import ensure_partitions, existing_partition_days
from vatstats_assets.storage.server import PostgresServer
from vatstats_tests.reliability.ingest_runs import ingest_resources
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.reliability.throwaway import throwaway_database
from vatstats_tests.support.definitions import run_resources

PROJECT_DAGSTER_YAML = Path(__file__).resolve().parents[2] / "dagster.yaml"
TODAY = datetime.now(UTC).date()
PARTITION_AGES = (100, 91, 90, 8, 7, 0)  # days before today

# The accelerated day: one ingest run every 15 simulated minutes, runs kept for 3 simulated hours,
# pruned every simulated hour like the hourly schedule. Real ingest polls every 15 s and keeps runs
# for 7 days: the same shape, 60 x 56 times larger; what matters is that the counts stop growing.
SIMULATED_HOURS = 24
RUN_EVERY = timedelta(minutes=15)
RUNS_KEPT_FOR = timedelta(hours=3)
# Runs are created at whole multiples of RUN_EVERY, so a count may differ by one run at the edge.
MARGIN_RUNS = 1


def partition_days(engine: sa.Engine, table: str) -> list[date]:
    with engine.connect() as conn:
        return existing_partition_days(conn, table)


def ages(days: list[date]) -> list[int]:
    return sorted(((TODAY - d).days for d in days), reverse=True)


@pytest.fixture
def warehouse(postgres_server: PostgresServer) -> Iterator[tuple[str, sa.Engine]]:
    """A database of its own: partitions are dropped here, nobody else's."""
    with throwaway_database(postgres_server, "retention") as url:
        engine = create_warehouse_engine(url)
        yield url, engine
        engine.dispose()


def test_retention_drops_only_the_partitions_past_it_and_keeps_the_summaries(warehouse) -> None:
    url, engine = warehouse
    with engine.begin() as conn:
        for age in PARTITION_AGES:
            day = TODAY - timedelta(days=age)
            ensure_partitions(conn, day, day, ["feed_snapshots", "flight_positions", "traffic_movements"])
        conn.execute(sa.text(
            "INSERT INTO vatstats.movement_summaries (date, airport, hour, movement_type, aircraft_type, movements)"
            " VALUES (:day, 'YSSY', 6, 'departure', 'B738', 12)"), {"day": TODAY - timedelta(days=100)})
    by_default = dg.materialize([warehouse_retention], resources=run_resources(url))
    # How an operator keeps less: VATSTATS_RAW_RETENTION_DAYS=3, which build_definitions passes on.
    settings = Settings.from_env({"VATSTATS_RAW_RETENTION_DAYS": "3"})
    shortened = dg.materialize(
        [warehouse_retention], resources={**run_resources(url), "retention": build_resources(settings)["retention"]}
    )

    [default_event] = by_default.get_asset_materialization_events()
    metadata = default_event.event_specific_data.materialization.metadata
    assert (metadata["raw_partitions_dropped"].value, metadata["track_partitions_dropped"].value) == (4, 2)
    assert ages(partition_days(engine, "flight_positions")) == [90, 8, 7, 0]  # 90 days of tracks by default
    assert ages(partition_days(engine, "feed_snapshots")) == [0]  # 7 days of raw snapshots, then 3
    assert shortened.success
    assert ages(partition_days(engine, "traffic_movements")) == list(PARTITION_AGES)  # no retention: kept
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT sum(movements) FROM vatstats.movement_summaries")).scalar_one() == 12


@dataclass
class RunRecord:
    simulated_at: datetime
    created_at: datetime


def dagster_row_counts(engine: sa.Engine) -> dict[str, int]:
    """Rows in every table of Dagster's own storage (schema public of its database)."""
    with engine.connect() as conn:
        tables = conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )).scalars().all()
        return {t: conn.execute(sa.text(f'SELECT count(*) FROM public."{t}"')).scalar_one() for t in tables}


@pytest.fixture
def dagster_instance(
    postgres_server: PostgresServer, tmp_path: Path, monkeypatch
) -> Iterator[tuple[dg.DagsterInstance, str]]:
    """An instance configured by the project's own dagster.yaml on a throwaway database, and that database's URL."""
    with throwaway_database(postgres_server, "dagster", migrated=False) as url:
        shutil.copy(PROJECT_DAGSTER_YAML, tmp_path / "dagster.yaml")
        monkeypatch.setenv("VATSTATS_DAGSTER_PG_URL", url)
        instance = dg.DagsterInstance.from_config(str(tmp_path))
        try:
            yield instance, url
        finally:
            instance.dispose()


def test_one_hourly_prune_can_delete_more_runs_than_an_hour_of_ingest_creates() -> None:
    assert PRUNE_BATCH > timedelta(hours=1) / FEED_CADENCE  # one ingest run per snapshot


def test_sensor_and_schedule_ticks_have_a_retention_in_the_project_instance(dagster_instance) -> None:
    # The daemon purges ticks by these settings; a sensor evaluated every 5 s writes 17,280 ticks a day.
    retention = dagster_instance[0].get_settings("retention")
    sensor_days = retention["sensor"]["purge_after_days"]
    assert set(sensor_days) == {"skipped", "success", "failure", "started"}
    assert all(0 < days <= 7 for days in sensor_days.values())
    assert 0 < retention["schedule"]["purge_after_days"] <= 30


@pytest.mark.slow
@pytest.mark.usefixtures("engine")  # an empty warehouse to ingest into
def test_a_simulated_day_of_ingest_runs_with_pruning_levels_off_dagster_storage(
    dagster_instance: tuple[dg.DagsterInstance, str], database_url: str
) -> None:
    instance, storage_url = dagster_instance
    storage = sa.create_engine(storage_url, poolclass=sa.NullPool)
    with SteppedSimulator(pilots=20) as feed:
        job = dg.Definitions(
            assets=[ingest_snapshot], jobs=[ingest_job], resources=ingest_resources(database_url, feed.data_url)
        ).resolve_job_def(ingest_job.name)
        start = feed.current_tick().moment
        runs: list[RunRecord] = []
        counts_at: dict[int, dict[str, int]] = {}
        for step in range(int(timedelta(hours=SIMULATED_HOURS) / RUN_EVERY) + 1):
            now = start + step * RUN_EVERY
            if step:
                feed.step(int(RUN_EVERY / timedelta(seconds=15)))
            result = job.execute_in_process(instance=instance, raise_on_error=False)
            assert result.success
            created = instance.get_run_record_by_id(result.run_id).create_timestamp
            runs.append(RunRecord(now, created))
            if (now - start) % timedelta(hours=1) == timedelta(0):  # the hourly prune schedule
                expired = [r for r in runs if r.simulated_at < now - RUNS_KEPT_FOR]
                if expired:
                    cutoff = runs[len(expired)].created_at  # the first run still inside the retention
                    prune_runs_before(instance, cutoff)
                hour = int((now - start) / timedelta(hours=1))
                if hour in (12, 24):
                    counts_at[hour] = dagster_row_counts(storage)
    storage.dispose()

    runs_kept = int(RUNS_KEPT_FOR / RUN_EVERY) + 1
    events_per_run = counts_at[24]["event_logs"] / counts_at[24]["runs"]
    assert abs(counts_at[12]["runs"] - runs_kept) <= MARGIN_RUNS
    assert abs(counts_at[24]["runs"] - counts_at[12]["runs"]) <= MARGIN_RUNS
    assert abs(counts_at[24]["event_logs"] - counts_at[12]["event_logs"]) <= MARGIN_RUNS * events_per_run
    for table, rows in counts_at[24].items():  # and no other table of Dagster's keeps growing
        assert rows <= counts_at[12][table] * (runs_kept + MARGIN_RUNS) / runs_kept + MARGIN_RUNS, table
