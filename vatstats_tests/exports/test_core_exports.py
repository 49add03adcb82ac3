"""What can be exported and how (core/exports.py): pure, milliseconds."""

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from vatstats_assets.core.exports import (
    EXPORT_TABLES,
    ExportRequestError,
    days_between,
    export_path,
    exported_tables,
    parse_request,
)

TODAY = date(2026, 11, 20)


def test_a_days_file_is_named_for_its_table_and_day_in_the_tables_folder() -> None:
    path = export_path(Path("/exports"), "traffic_movements", date(2026, 11, 19), "parquet")
    assert path == Path("/exports/traffic_movements/traffic_movements_2026-11-19.parquet")
    assert export_path(Path("out"), "flights", date(2026, 1, 2), "csv").name == "flights_2026-01-02.csv"


def test_the_day_keyed_tables_are_exportable_and_the_raw_snapshots_are_not() -> None:
    assert set(EXPORT_TABLES) == {
        "flight_positions", "traffic_movements", "movement_summaries", "flight_summaries",
        "controller_summaries", "network_daily_stats", "flights", "atc_positions",
        "sector_occupancy", "sector_hourly_load", "transceiver_tunings", "atc_contacts",
        "coverage_hourly",
    }
    days = {name: t.day_column for name, t in EXPORT_TABLES.items()}
    assert days == {
        "flight_positions": "observed_at", "traffic_movements": "at", "movement_summaries": "date",
        "flight_summaries": "landing_at", "controller_summaries": "date", "network_daily_stats": "date",
        "flights": "last_seen", "atc_positions": "last_seen",
        "sector_occupancy": "entered_at", "sector_hourly_load": "date", "transceiver_tunings": "last_seen",
        "atc_contacts": "started_at", "coverage_hourly": "date",
    }


def test_daily_exports_copy_the_sector_tables_only_where_the_airspace_domain_fills_them() -> None:
    assert {t.name for t in exported_tables(with_airspace=True)} == set(EXPORT_TABLES)
    assert {t.name for t in exported_tables(with_airspace=False)} == set(EXPORT_TABLES) - {
        "sector_occupancy", "sector_hourly_load"}


def test_timestamps_are_utc_microseconds_and_dates_are_date32_in_every_schema() -> None:
    for table in EXPORT_TABLES.values():
        schema = table.arrow_schema()
        assert schema.names == [c.name for c in table.columns]
        for column in table.columns:
            if column.type == "timestamptz":
                assert schema.field(column.name).type == pa.timestamp("us", tz="UTC")
            if column.type == "date":
                assert schema.field(column.name).type == pa.date32()
    positions = EXPORT_TABLES["flight_positions"].arrow_schema()
    assert positions.field("heading_deg").type == pa.int16() and not positions.field("cid").nullable
    assert EXPORT_TABLES["traffic_movements"].arrow_schema().field("aircraft_type").nullable


def test_a_timestamp_day_is_bounded_by_utc_midnights_and_a_date_day_by_dates() -> None:
    movements = EXPORT_TABLES["traffic_movements"].day_parameters(date(2026, 11, 19))
    assert movements == {
        "start": datetime(2026, 11, 19, tzinfo=UTC), "end": datetime(2026, 11, 20, tzinfo=UTC),
        "start_hour": datetime(2026, 11, 19), "end_hour": datetime(2026, 11, 20),
    }
    summaries = EXPORT_TABLES["movement_summaries"].day_parameters(date(2026, 11, 19))
    assert summaries == {"start": date(2026, 11, 19), "end": date(2026, 11, 20)}


def test_a_days_statement_only_selects_in_a_stable_order_and_flights_use_the_hour_index() -> None:
    for table in EXPORT_TABLES.values():
        for fmt in ("parquet", "csv"):
            statement = table.select_day(fmt)
            assert statement.startswith("SELECT ") and f"FROM vatstats.{table.name} WHERE" in statement
            assert statement.endswith("ORDER BY " + ", ".join(table.order_by))
    assert "last_seen_hour >= %(start_hour)s" in EXPORT_TABLES["flights"].select_day("parquet")
    # CSV spells instants in ISO 8601 UTC and booleans as true/false; JSON is its text in both formats.
    csv = EXPORT_TABLES["traffic_movements"].select_day("csv")
    assert "to_char(at AT TIME ZONE 'UTC'" in csv and "matches_flight_plan::text" in csv
    assert "busiest_airports::text" in EXPORT_TABLES["network_daily_stats"].select_day("parquet")


def test_a_valid_request_names_its_tables_and_days() -> None:
    request = parse_request("traffic_movements,flights", "2026-11-17", "2026-11-19", "csv", today=TODAY)
    assert [t.name for t in request.tables] == ["traffic_movements", "flights"]
    assert request.days == [date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19)]
    assert len(parse_request("all", "2026-11-20", "2026-11-20", "parquet", today=TODAY).tables) == len(EXPORT_TABLES)
    assert days_between(date(2026, 2, 27), date(2026, 3, 1)) == [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1)]


@pytest.mark.parametrize(("tables", "start", "end", "fmt", "says"), [
    ("feed_snapshots", "2026-11-01", "2026-11-02", "parquet",
     "'feed_snapshots' is not an exportable table; choose from flight_positions, traffic_movements"),
    ("traffic_movements", "2026-11-03", "2026-11-02", "parquet", "--end 2026-11-02 is before --start 2026-11-03"),
    ("traffic_movements", "2026-13-01", "2026-11-02", "parquet", "--start must be a date like 2026-11-01, not '2026-13-01'"),
    ("traffic_movements", "2026-11-01", "2026-11-21", "parquet", "--end 2026-11-21 is in the future"),
    ("traffic_movements", "2026-11-01", "2026-11-02", "xlsx", "--format must be parquet or csv, not 'xlsx'"),
])
def test_a_bad_request_is_refused_with_one_sentence(tables, start, end, fmt, says) -> None:
    with pytest.raises(ExportRequestError) as refused:
        parse_request(tables, start, end, fmt, today=TODAY)
    assert str(refused.value).startswith(says)
    assert "\n" not in str(refused.value)
