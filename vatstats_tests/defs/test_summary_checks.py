"""Asset checks on the feed, the movements and the summaries: each passing and failing, in a real PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest
import sqlalchemy as sa

from vatstats_tests.support.definitions import PARTITIONS, asset, asset_check, checks_on
from vatstats_tests.support.warehouse_rows import (
    add_controllers,
    add_flights,
    add_movement_summary,
    add_movements,
    add_snapshots,
    check_results,
    controller,
    flight,
    materialize,
    materialized,
    movement,
    snapshot,
    utc,
)

DAY = "2026-11-20"




# The asset each checked asset name stands for (the ingest asset only as a spec: it is not run).
TARGETS = {
    "raw_feed_snapshot": dg.AssetSpec("raw_feed_snapshot"),
    "traffic_movements": asset("traffic_movements"),
    "movement_summaries": asset("movement_summaries"),
    "controller_summaries": asset("controller_summaries"),
}


def run_check(database_url: str, asset: str, name: str, partition_key: str | None = DAY) -> dg.AssetCheckEvaluation:
    """Run one check on its own: the asset it targets is not materialised in the run."""
    definition = asset_check(asset, name)
    # A run of checks alone has no partitioned asset to take a partitions definition from, so the
    # partition is given as the run tag a partitioned run carries.
    result = materialize(database_url, [TARGETS[asset], definition], selection=dg.AssetSelection.checks(definition),
                         tags={"dagster/partition": partition_key} if partition_key else None)
    return check_results(result)[f"{asset}:{name}"]


def before_the_first_partition() -> datetime:
    first = PARTITIONS.get_first_partition_window()
    assert first is not None
    return first.start - timedelta(days=1)


# --- feed freshness ------------------------------------------------------------------------------

def test_feed_freshness_passes_with_a_snapshot_seconds_old(engine, database_url) -> None:
    add_snapshots(engine, [snapshot(datetime.now(UTC) - timedelta(seconds=5))])
    assert run_check(database_url, "raw_feed_snapshot", "feed_is_fresh", partition_key=None).passed


def test_feed_freshness_fails_when_the_newest_snapshot_is_older_than_a_minute(engine, database_url) -> None:
    add_snapshots(engine, [snapshot(datetime.now(UTC) - timedelta(minutes=10))])
    evaluation = run_check(database_url, "raw_feed_snapshot", "feed_is_fresh", partition_key=None)
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["age_s"].value >= 600


def test_feed_freshness_warns_when_no_snapshot_is_stored(engine, database_url) -> None:
    evaluation = run_check(database_url, "raw_feed_snapshot", "feed_is_fresh", partition_key=None)
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.WARN


# --- key uniqueness ------------------------------------------------------------------------------

@pytest.fixture
def controller_summaries_without_key(engine: sa.Engine) -> Iterator[sa.Engine]:
    """controller_summaries with its primary key dropped, so a duplicate can be stored at all."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE vatstats.controller_summaries DROP CONSTRAINT controller_summaries_pkey")
    try:
        yield engine
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE vatstats.controller_summaries")
            conn.exec_driver_sql("ALTER TABLE vatstats.controller_summaries ADD PRIMARY KEY (date, callsign, cid)")


def test_unique_keys_passes_on_a_materialised_partition(engine, database_url) -> None:
    add_controllers(engine, [controller("SY_TWR", 1, utc("2026-11-20 06:00"), utc("2026-11-20 08:00"))])
    result = materialize(database_url, [asset("controller_summaries"), asset_check("controller_summaries", "unique_keys")],
                         partition_key=DAY)
    assert result.success
    assert check_results(result)["controller_summaries:unique_keys"].passed


def test_unique_keys_fails_when_two_rows_share_a_key(controller_summaries_without_key, database_url) -> None:
    with controller_summaries_without_key.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO vatstats.controller_summaries VALUES"
            " ('2026-11-20', 'SY_TWR', 1, 5, 5, 1, 60), ('2026-11-20', 'SY_TWR', 1, 5, 5, 1, 30),"
            " ('2026-11-21', 'SY_TWR', 1, 5, 5, 1, 30)"
        )
    evaluation = run_check(database_url, "controller_summaries", "unique_keys")
    assert not evaluation.passed
    assert evaluation.metadata["rows_repeating_a_key"].value == 1
    # The next day's partition does not see the other day's duplicate.
    assert run_check(database_url, "controller_summaries", "unique_keys", partition_key="2026-11-21").passed


# --- rows inside the partitions ------------------------------------------------------------------

def test_rows_inside_partitions_passes_when_every_row_has_a_partition(engine, database_url) -> None:
    add_movement_summary(engine, utc("2026-11-20 00:00").date())
    assert run_check(database_url, "movement_summaries", "rows_inside_partitions", partition_key=None).passed


def test_rows_inside_partitions_fails_on_a_row_before_the_first_partition(engine, database_url) -> None:
    add_movement_summary(engine, before_the_first_partition().date())
    evaluation = run_check(database_url, "movement_summaries", "rows_inside_partitions", partition_key=None)
    assert not evaluation.passed
    assert evaluation.metadata["rows_outside"].value == 1


def test_rows_inside_partitions_fails_on_a_row_dated_after_today(engine, database_url) -> None:
    add_movement_summary(engine, datetime.now(UTC).date() + timedelta(days=2))
    assert not run_check(database_url, "movement_summaries", "rows_inside_partitions", partition_key=None).passed


# --- plausibility --------------------------------------------------------------------------------

def test_arrivals_within_flights_seen_passes_when_connections_outnumber_arrivals(engine, database_url) -> None:
    add_flights(engine, [flight(1, utc("2026-11-20 06:00"), utc("2026-11-20 09:00")),
                         flight(2, utc("2026-11-20 06:00"), utc("2026-11-20 09:00"))])
    add_movements(engine, [movement("YSSY", "arrival", utc("2026-11-20 08:00"), 1),
                           movement("YSSY", "departure", utc("2026-11-20 06:30"), 2),
                           movement("YSSY", "departure", utc("2026-11-20 06:40"), 3)])
    evaluation = run_check(database_url, "traffic_movements", "arrivals_within_flights_seen")
    assert evaluation.passed
    assert (evaluation.metadata["arrivals"].value, evaluation.metadata["flights_seen"].value) == (1, 2)


def test_arrivals_within_flights_seen_fails_when_arrivals_outnumber_connections(engine, database_url) -> None:
    add_flights(engine, [flight(1, utc("2026-11-20 06:00"), utc("2026-11-20 09:00"))])
    add_movements(engine, [movement("YSSY", "arrival", utc("2026-11-20 07:00") + timedelta(minutes=i), 1)
                           for i in range(3)])
    assert not run_check(database_url, "traffic_movements", "arrivals_within_flights_seen").passed


def test_minutes_within_a_day_passes_for_a_full_day_on_one_position(engine, database_url) -> None:
    add_controllers(engine, [controller("ML_CTR", 1, utc("2026-11-19 12:00"), utc("2026-11-21 12:00"))])
    result = materialize(database_url, [asset("controller_summaries"), asset_check("controller_summaries", "minutes_within_a_day")],
                         partition_key=DAY)
    evaluation = check_results(result)["controller_summaries:minutes_within_a_day"]
    assert evaluation.passed
    assert evaluation.metadata["most_minutes"].value == 1440.0


def test_minutes_within_a_day_fails_when_one_controller_adds_up_to_more_than_a_day(engine, database_url) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO vatstats.controller_summaries VALUES"
            " ('2026-11-20', 'ML_CTR', 1, 6, 5, 1, 800), ('2026-11-20', 'BN_CTR', 1, 6, 5, 1, 700)"
        )
    evaluation = run_check(database_url, "controller_summaries", "minutes_within_a_day")
    assert not evaluation.passed
    assert evaluation.metadata["most_minutes"].value == 1500.0


# --- blocking ------------------------------------------------------------------------------------

@pytest.fixture
def movement_before_the_first_partition(engine: sa.Engine) -> Iterator[datetime]:
    at = before_the_first_partition() + timedelta(hours=12)
    add_movements(engine, [movement("YSSY", "arrival", at, 1)])
    yield at
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS vatstats.traffic_movements_p{at:%Y%m%d}")


def test_a_failing_check_on_the_movements_blocks_the_summaries_in_the_same_run(
    movement_before_the_first_partition, database_url
) -> None:
    movement_checks = checks_on("traffic_movements")

    result = materialize(database_url, [asset("traffic_movements"), asset("movement_summaries"), *movement_checks], partition_key=DAY)

    assert not result.success
    assert not check_results(result)["traffic_movements:rows_inside_partitions"].passed
    assert materialized(result) == {"traffic_movements"}  # movement_summaries never ran


def test_passing_checks_let_the_summaries_follow_the_movements(engine, database_url) -> None:
    movement_checks = checks_on("traffic_movements")
    result = materialize(database_url, [asset("traffic_movements"), asset("movement_summaries"), *movement_checks], partition_key=DAY)
    assert result.success
    assert materialized(result) == {"traffic_movements", "movement_summaries"}
