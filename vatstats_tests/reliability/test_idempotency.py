"""Doing it again changes nothing: md5 checksums of whole tables, before and after a repeat."""

from pathlib import Path

import dagster as dg
import sqlalchemy as sa

from vatstats_tests.reliability.ingest_runs import ingest_resources, run_ingest
from vatstats_tests.reliability.snapshot_files import SIMULATED_DAY, replay_folder
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.reliability.warehouse_checksums import row_counts, warehouse_checksums
from vatstats_tests.support.definitions import DAILY_ASSETS, run_resources


def url_of(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def materialize_day(database_url: str, day: str) -> dg.ExecuteInProcessResult:
    return dg.materialize(DAILY_ASSETS, partition_key=day, resources=run_resources(database_url))


def test_running_the_ingest_again_for_a_stored_snapshot_leaves_every_table_identical(
    engine: sa.Engine, database_url: str, feed: SteppedSimulator
) -> None:
    resources = ingest_resources(database_url, feed.data_url)
    assert run_ingest(resources).success
    first = warehouse_checksums(engine)

    again = run_ingest(resources)
    older_allowed = run_ingest(resources, allow_older=True)

    assert again.success and older_allowed.success
    assert warehouse_checksums(engine) == first
    assert row_counts(engine)["flights"] > 0


def test_replaying_a_folder_twice_leaves_every_table_identical(
    reference_warehouse: sa.Engine, snapshot_folder: Path
) -> None:
    first = warehouse_checksums(reference_warehouse)

    assert replay_folder(snapshot_folder, url_of(reference_warehouse)) == 0

    assert warehouse_checksums(reference_warehouse) == first
    assert row_counts(reference_warehouse)["feed_snapshots"] == len(list(snapshot_folder.glob("*Z.json.gz")))


def test_rematerialising_movements_and_the_daily_summaries_for_a_day_leaves_every_table_identical(
    reference_warehouse: sa.Engine,
) -> None:
    url = url_of(reference_warehouse)
    materialize_day(url, SIMULATED_DAY)
    first = warehouse_checksums(reference_warehouse)

    materialize_day(url, SIMULATED_DAY)

    assert warehouse_checksums(reference_warehouse) == first
    counts = row_counts(reference_warehouse)
    assert min(counts[t] for t in ("traffic_movements", "movement_summaries", "flight_summaries",
                                   "controller_summaries", "network_daily_stats")) > 0
