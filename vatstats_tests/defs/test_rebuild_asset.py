"""ingest_rebuild through Dagster: a day partition or a ranged backfill run, and never by itself."""

from datetime import UTC, datetime

import dagster as dg
import orjson
import pytest

from vatstats_assets.commands.backfill import RANGE_END_TAG, RANGE_START_TAG
from vatstats_assets.defs.automation import AUTOMATION_SENSOR_NAME
from vatstats_assets.defs.rebuild.assets import RebuildConfig
from vatstats_assets.sim.simulation import Simulation
from vatstats_tests.storage.test_rebuild import checksums, ingest_live
from vatstats_tests.support.definitions import PROJECT, asset, run_resources

START = datetime(2026, 11, 19, 22, 0, tzinfo=UTC)  # two hours either side of a midnight
HOURS = 4


@pytest.fixture(scope="module")
def bodies() -> list[bytes]:
    simulation = Simulation(start=START, pilots=30, seed=3, controllers=8)
    return [orjson.dumps(simulation.snapshot(simulation.tick(index))) for index in range(0, HOURS * 240, 10)]


def rebuild(database_url: str, **options) -> dg.ExecuteInProcessResult:
    return dg.materialize([asset("ingest_rebuild")], resources=run_resources(database_url), raise_on_error=False,
                          **options)


def test_a_day_partition_is_rebuilt_to_the_rows_live_ingestion_wrote(engine, database_url, bodies) -> None:
    ingest_live(engine, bodies)
    live = checksums(engine)
    result = rebuild(database_url, partition_key="2026-11-20")
    assert result.success
    assert checksums(engine) == live
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["snapshots_replayed"].value == 48 and metadata["connections_alive_at_start"].value > 0


def test_a_ranged_backfill_run_rebuilds_its_days_in_one_replay(engine, database_url, bodies) -> None:
    ingest_live(engine, bodies)
    live = checksums(engine)
    result = rebuild(database_url, tags={RANGE_START_TAG: "2026-11-19", RANGE_END_TAG: "2026-11-20"})
    assert result.success
    assert checksums(engine) == live
    materialized = {e.partition for e in result.get_asset_materialization_events()}
    assert materialized == {"2026-11-19", "2026-11-20"}


def test_a_day_without_raw_snapshots_fails_with_one_sentence(engine, database_url, bodies) -> None:
    ingest_live(engine, bodies)
    live = checksums(engine)
    result = rebuild(database_url, partition_key="2026-11-10")
    assert not result.success
    description = result.get_step_failure_events()[-1].step_failure_data.user_failure_data.description
    assert description.startswith("Not rebuilt: no raw snapshots are held for 2026-11-10")
    assert checksums(engine) == live


def test_a_negative_number_of_workers_in_the_run_config_fails_with_one_sentence(engine, database_url, bodies) -> None:
    ingest_live(engine, bodies)
    live = checksums(engine)
    result = rebuild(database_url, partition_key="2026-11-20",
                     run_config=dg.RunConfig(ops={"ingest_rebuild": RebuildConfig(workers=-1)}))
    assert not result.success
    description = result.get_step_failure_events()[-1].step_failure_data.user_failure_data.description
    assert description == "Not rebuilt: workers must be 0 or more, not -1."
    assert checksums(engine) == live


def test_the_rebuild_runs_only_when_an_operator_launches_it() -> None:
    rebuild_asset = asset("ingest_rebuild")
    assert all(spec.automation_condition is None for spec in rebuild_asset.specs)
    automation = PROJECT.resolve_sensor_def(AUTOMATION_SENSOR_NAME)
    assert dg.AssetKey("ingest_rebuild") not in automation.asset_selection.resolve(PROJECT.resolve_asset_graph())
    for job in PROJECT.resolve_all_job_defs():
        if job.name != "__ASSET_JOB":
            assert dg.AssetKey("ingest_rebuild") not in job.asset_layer.executable_asset_keys
