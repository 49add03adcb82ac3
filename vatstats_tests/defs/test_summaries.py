"""The daily summary assets through Dagster, on constructed rows in a real PostgreSQL."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from vatstats_tests.support.definitions import asset
from vatstats_tests.support.warehouse_rows import (
    add_controllers,
    add_flights,
    add_movements,
    add_snapshots,
    controller,
    flight,
    materialize,
    movement,
    rows_of,
    snapshot,
    utc,
)

DAY = "2026-11-20"


def controller_rows(engine: sa.Engine) -> list[tuple]:
    return [tuple(r) for r in rows_of(
        engine, "SELECT date::text, callsign, cid, sessions, round(minutes_online::numeric, 2)::float"
        " FROM vatstats.controller_summaries ORDER BY date, callsign, cid"
    )]


def test_a_controller_session_crossing_midnight_is_split_between_the_two_days(engine, database_url) -> None:
    add_controllers(engine, [controller("SY_TWR", 1, utc("2026-11-19 23:00"), utc("2026-11-20 01:00"))])

    assert materialize(database_url, [asset("controller_summaries")], partition_key="2026-11-19").success
    assert materialize(database_url, [asset("controller_summaries")], partition_key="2026-11-20").success

    assert controller_rows(engine) == [
        ("2026-11-19", "SY_TWR", 1, 1, 60.0),
        ("2026-11-20", "SY_TWR", 1, 1, 60.0),
    ]


def test_a_reconnect_within_five_minutes_on_the_same_callsign_is_one_session(engine, database_url) -> None:
    add_controllers(engine, [
        controller("ML_CTR", 7, utc("2026-11-20 10:00"), utc("2026-11-20 11:00")),
        controller("ML_CTR", 7, utc("2026-11-20 11:04"), utc("2026-11-20 12:00")),  # back after 4 min
        controller("BN_APP", 8, utc("2026-11-20 10:00"), utc("2026-11-20 11:00")),
        controller("BN_APP", 8, utc("2026-11-20 11:06"), utc("2026-11-20 12:00")),  # back after 6 min
    ])

    assert materialize(database_url, [asset("controller_summaries")], partition_key=DAY).success

    assert controller_rows(engine) == [
        (DAY, "BN_APP", 8, 2, 60.0 + 54.0),
        (DAY, "ML_CTR", 7, 1, 120.0),  # the 4 minutes between the connections count as online
    ]


def test_atis_stations_have_no_controller_summary(engine, database_url) -> None:
    add_controllers(engine, [
        controller("YSSY_ATIS", 3, utc("2026-11-20 06:00"), utc("2026-11-20 09:00"), is_atis=True),
        controller("SY_GND", 4, utc("2026-11-20 06:00"), utc("2026-11-20 07:30")),
    ])
    assert materialize(database_url, [asset("controller_summaries")], partition_key=DAY).success
    assert controller_rows(engine) == [(DAY, "SY_GND", 4, 1, 90.0)]


def test_movement_summaries_count_per_airport_hour_type_and_aircraft_type(engine, database_url) -> None:
    add_movements(engine, [
        movement("YSSY", "departure", utc("2026-11-20 06:05"), 1),
        movement("YSSY", "departure", utc("2026-11-20 06:50"), 2),
        movement("YSSY", "departure", utc("2026-11-20 06:55"), 3, aircraft_type="A320"),
        movement("YSSY", "arrival", utc("2026-11-20 07:10"), 4, aircraft_type=None),
        movement("YMML", "arrival", utc("2026-11-20 07:15"), 1),
        movement("YMML", "arrival", utc("2026-11-21 00:15"), 5),  # the next day: not in this partition
    ])

    result = materialize(database_url, [asset("movement_summaries")], partition_key=DAY)

    assert result.success
    assert [tuple(r) for r in rows_of(
        engine, "SELECT airport, hour, movement_type, aircraft_type, movements FROM vatstats.movement_summaries"
        " ORDER BY airport, hour, movement_type, aircraft_type"
    )] == [
        ("YMML", 7, "arrival", "B738", 1),
        ("YSSY", 6, "departure", "A320", 1),
        ("YSSY", 6, "departure", "B738", 2),
        ("YSSY", 7, "arrival", "ZZZZ", 1),  # ICAO's designator for a type not given
    ]
    metadata = result.get_asset_materialization_events()[0].event_specific_data.materialization.metadata
    assert (metadata["departures"].value, metadata["arrivals"].value, metadata["airports"].value) == (3, 2, 2)
    assert "| YSSY | 3 | 1 | 4 |" in metadata["busiest_airports"].value


def test_network_daily_stats_counts_people_peaks_snapshots_and_gaps(engine, database_url) -> None:
    add_snapshots(engine, [
        snapshot(utc("2026-11-19 23:59:30"), pilots=9, controllers=9),  # the day before
        snapshot(utc("2026-11-20 00:00:00"), pilots=3, controllers=1),  # 30 s after it: one missed
        snapshot(utc("2026-11-20 00:00:15"), pilots=5, controllers=2),
        snapshot(utc("2026-11-20 00:00:30"), pilots=4, controllers=2),
        snapshot(utc("2026-11-20 00:01:15"), pilots=5, controllers=1),  # 45 s: two missed
    ])
    add_flights(engine, [
        flight(1, utc("2026-11-20 00:00"), utc("2026-11-20 00:01:15")),
        flight(1, utc("2026-11-20 00:00:30"), utc("2026-11-20 00:01:15"), callsign="QFA2"),  # same pilot
        flight(2, utc("2026-11-19 22:00"), utc("2026-11-20 00:00:15")),
        flight(3, utc("2026-11-19 20:00"), utc("2026-11-19 23:59:30")),  # gone before midnight
    ])
    add_controllers(engine, [
        controller("SY_TWR", 10, utc("2026-11-19 23:00"), utc("2026-11-20 00:01:15")),
        controller("YSSY_ATIS", 11, utc("2026-11-19 23:00"), utc("2026-11-20 00:01:15"), is_atis=True),
    ])
    add_movements(engine, [
        movement("YSSY", "departure", utc("2026-11-20 00:00:20"), 1),
        movement("YSSY", "arrival", utc("2026-11-20 00:00:40"), 2),
        movement("YMML", "arrival", utc("2026-11-20 00:01:00"), 3),
    ])

    assert materialize(database_url, [asset("network_daily_stats")], partition_key=DAY).success

    (row,) = rows_of(engine, "SELECT * FROM vatstats.network_daily_stats")
    assert (row.unique_pilots, row.unique_controllers) == (2, 1)
    assert (row.peak_pilots, row.peak_pilots_at) == (5, utc("2026-11-20 00:00:15"))
    assert (row.peak_controllers, row.peak_controllers_at) == (2, utc("2026-11-20 00:00:15"))
    assert (row.snapshots_ingested, row.snapshots_missed) == (4, 3)
    assert row.busiest_airports == [{"airport": "YSSY", "movements": 2}, {"airport": "YMML", "movements": 1}]


def test_a_day_without_data_gives_a_row_of_zeros(engine, database_url) -> None:
    result = materialize(database_url, [asset("network_daily_stats")], partition_key=DAY)
    assert result.success
    (row,) = rows_of(engine, "SELECT * FROM vatstats.network_daily_stats")
    assert (row.unique_pilots, row.peak_pilots, row.snapshots_ingested, row.snapshots_missed) == (0, 0, 0, 0)
    assert row.peak_pilots_at is None and row.busiest_airports == []


def test_a_backfill_range_writes_one_row_per_day(engine, database_url) -> None:
    add_controllers(engine, [controller("SY_TWR", 1, utc("2026-11-18 22:00"), utc("2026-11-20 02:00"))])

    result = materialize(database_url, [asset("controller_summaries"), asset("network_daily_stats")], tags={
        "dagster/asset_partition_range_start": "2026-11-18", "dagster/asset_partition_range_end": "2026-11-20",
    })

    assert result.success
    assert [r[4] for r in controller_rows(engine)] == [120.0, 1440.0, 120.0]
    assert [r.date.isoformat() for r in rows_of(engine, "SELECT date FROM vatstats.network_daily_stats ORDER BY date")] \
        == ["2026-11-18", "2026-11-19", "2026-11-20"]


def test_the_status_asset_records_the_live_figures_as_metadata(engine, database_url) -> None:
    latest = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=10)
    add_snapshots(engine, [snapshot(latest, pilots=2, controllers=1)])
    add_flights(engine, [flight(1, latest - timedelta(hours=1), latest), flight(2, latest, latest)])
    add_controllers(engine, [controller("SY_TWR", 9, latest - timedelta(hours=1), latest)])
    add_movements(engine, [movement("YSSY", "departure", latest - timedelta(seconds=5), 1)])

    result = materialize(database_url, [asset("network_status")])

    assert result.success
    metadata = result.get_asset_materialization_events()[0].event_specific_data.materialization.metadata
    figures = {name: metadata[name].value for name in
               ("pilots_online", "controllers_online", "flights_today", "movements_today", "snapshots_today")}
    # Right after midnight UTC the snapshot 10 s ago belongs to yesterday: "today" would then be empty.
    if latest.date() == datetime.now(UTC).date():
        assert figures == {"pilots_online": 2, "controllers_online": 1, "flights_today": 2,
                           "movements_today": 1, "snapshots_today": 1}
    assert metadata["last_snapshot_age_s"].value >= 10
