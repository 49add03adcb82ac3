"""The IO manager's catalog metadata: column schema from the data dictionary, table and partition rows."""

from datetime import date

import dagster as dg
import pandas as pd
import sqlalchemy as sa

from vatstats_assets.defs.io_manager import write_metadata
from vatstats_assets.storage import bulk
from vatstats_assets.storage.tables import CONTROLLER_SUMMARIES, MOVEMENT_SUMMARIES
from vatstats_tests.support.definitions import run_resources

DAYS = dg.DailyPartitionsDefinition(start_date="2026-11-01", timezone="UTC")


def summary_rows(day: str, airports: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"date": date.fromisoformat(day), "airport": a, "hour": 6, "movement_type": "departure",
          "aircraft_type": "B738", "movements": 1} for a in airports],
        columns=MOVEMENT_SUMMARIES.columns, dtype=object,
    )


@dg.asset(partitions_def=DAYS, io_manager_key="warehouse_io_manager",
          metadata=write_metadata("replace_partition", MOVEMENT_SUMMARIES.qualified))
def daily_movements(context: dg.AssetExecutionContext) -> pd.DataFrame:
    return summary_rows(context.partition_key, ["YSSY", "YMML", "YBBN"])


@dg.asset(io_manager_key="warehouse_io_manager",
          metadata=write_metadata("upsert", CONTROLLER_SUMMARIES.qualified))
def controller_day() -> pd.DataFrame:
    return pd.DataFrame([{"date": date(2026, 11, 20), "callsign": "SY_TWR", "cid": 1, "facility": 4,
                          "rating": 5, "sessions": 1, "minutes_online": 60.0}],
                        columns=CONTROLLER_SUMMARIES.columns, dtype=object)


def materialised_metadata(database_url: str, asset: dg.AssetsDefinition, **kwargs) -> dict:
    result = dg.materialize([asset], resources=run_resources(database_url), **kwargs)
    assert result.success
    return result.get_asset_materialization_events()[0].event_specific_data.materialization.metadata


def test_materialisation_carries_the_tables_columns_with_types_and_data_dictionary_comments(engine, database_url) -> None:
    metadata = materialised_metadata(database_url, daily_movements, partition_key="2026-11-20")
    schema = metadata["dagster/column_schema"].schema
    assert [c.name for c in schema.columns] == list(MOVEMENT_SUMMARIES.columns)
    by_name = {c.name: c for c in schema.columns}
    assert by_name["hour"].type == "smallint"
    assert by_name["hour"].description == "The UTC hour of the day, 0 to 23."
    assert not by_name["movements"].constraints.nullable
    assert schema.constraints.other == ["primary key (date, airport, hour, movement_type, aircraft_type)"]


def test_partition_row_count_is_the_partition_and_row_count_the_whole_table(engine, database_url) -> None:
    materialised_metadata(database_url, daily_movements, partition_key="2026-11-19")
    metadata = materialised_metadata(database_url, daily_movements, partition_key="2026-11-20")
    assert metadata["dagster/partition_row_count"].value == 3
    assert metadata["dagster/row_count"].value == 6
    assert metadata["row_count_exact"].value is True


def test_rewriting_a_partition_does_not_grow_the_table_count(engine, database_url) -> None:
    materialised_metadata(database_url, daily_movements, partition_key="2026-11-20")
    metadata = materialised_metadata(database_url, daily_movements, partition_key="2026-11-20")
    assert metadata["dagster/row_count"].value == 3


def test_unpartitioned_asset_reports_table_rows_and_no_partition_count(engine, database_url) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO vatstats.controller_summaries VALUES ('2026-11-19', 'ML_CTR', 2, 6, 7, 2, 120)"
        ))
    metadata = materialised_metadata(database_url, controller_day)
    assert metadata["dagster/row_count"].value == 2
    assert "dagster/partition_row_count" not in metadata


@dg.asset(io_manager_key="warehouse_io_manager",
          metadata=write_metadata("upsert", CONTROLLER_SUMMARIES.qualified))
def staged_controller_day() -> bulk.StagedRows:
    return bulk.StagedRows("flights", 1)


def test_staged_rows_given_to_an_upsert_are_refused_with_a_reason(database_url) -> None:
    result = dg.materialize([staged_controller_day], raise_on_error=False, resources=run_resources(database_url))
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert "returned StagedRows, which can only be appended" in failure.step_failure_data.error.to_string()
