"""The live status figures, read in one query, against a real PostgreSQL."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from vatstats_assets.storage.status import network_status
from vatstats_tests.support.warehouse_rows import (
    add_controllers,
    add_flights,
    add_movements,
    add_snapshots,
    controller,
    flight,
    movement,
    snapshot,
    utc,
)

NOW = utc("2026-11-20 12:00:20")
LATEST = utc("2026-11-20 12:00:00")


def status_at(engine: sa.Engine, now: datetime = NOW):
    with engine.connect() as conn:
        return network_status(conn, now)


def test_figures_are_right_on_tables_of_very_different_sizes(engine: sa.Engine) -> None:
    # 3 flights, 50 controller rows, 7 movements, 4 snapshots: a CROSS JOIN of the tables would
    # report products of these numbers (e.g. 3 x 50 x 7 = 1,050) instead of the numbers themselves.
    add_snapshots(engine, [snapshot(LATEST - timedelta(seconds=15 * i)) for i in range(4)])
    add_flights(engine, [flight(1000 + i, utc("2026-11-20 09:00"), LATEST) for i in range(3)])
    add_controllers(engine, [
        controller(f"POS{i}_CTR", 2000 + i, utc("2026-11-20 08:00"), LATEST) for i in range(50)
    ])
    add_movements(engine, [movement("YSSY", "departure", utc("2026-11-20 10:00") + timedelta(minutes=i), 3000 + i)
                           for i in range(7)])

    status = status_at(engine)

    assert status.pilots_online == 3
    assert status.controllers_online == 50
    assert status.flights_today == 3
    assert status.movements_today == 7
    assert status.snapshots_today == 4
    assert status.last_snapshot_at == LATEST
    assert status.last_snapshot_age_s == 20.0


def test_online_means_seen_in_the_newest_snapshot(engine: sa.Engine) -> None:
    add_snapshots(engine, [snapshot(LATEST), snapshot(LATEST - timedelta(minutes=5))])
    add_flights(engine, [
        flight(1, utc("2026-11-20 09:00"), LATEST),
        flight(2, utc("2026-11-20 09:00"), LATEST - timedelta(minutes=5)),  # disconnected since
    ])
    status = status_at(engine)
    assert status.pilots_online == 1
    assert status.flights_today == 2


def test_atis_stations_are_not_controllers_online(engine: sa.Engine) -> None:
    add_snapshots(engine, [snapshot(LATEST)])
    add_controllers(engine, [
        controller("SY_TWR", 1, utc("2026-11-20 11:00"), LATEST),
        controller("YSSY_ATIS", 2, utc("2026-11-20 11:00"), LATEST, is_atis=True),
    ])
    assert status_at(engine).controllers_online == 1


def test_today_is_the_utc_day_of_the_moment_asked_about(engine: sa.Engine) -> None:
    add_snapshots(engine, [snapshot(utc("2026-11-19 23:59:45")), snapshot(utc("2026-11-20 00:00:00"))])
    add_flights(engine, [flight(1, utc("2026-11-19 20:00"), utc("2026-11-19 23:59:45"))])
    add_movements(engine, [movement("YSSY", "arrival", utc("2026-11-19 23:50"), 1)])
    status = status_at(engine, utc("2026-11-20 00:00:05"))
    assert (status.flights_today, status.movements_today, status.snapshots_today) == (0, 0, 1)


def test_an_empty_warehouse_has_no_last_snapshot_and_zero_counts(engine: sa.Engine) -> None:
    status = status_at(engine)
    assert status.last_snapshot_at is None and status.last_snapshot_age_s is None
    assert (status.pilots_online, status.controllers_online, status.flights_today,
            status.movements_today, status.snapshots_today) == (0, 0, 0, 0, 0)


def test_status_as_json_gives_iso_timestamps(engine: sa.Engine) -> None:
    add_snapshots(engine, [snapshot(LATEST)])
    values = status_at(engine).as_json()
    assert values["last_snapshot_at"] == "2026-11-20T12:00:00+00:00"
    assert values["at"] == "2026-11-20T12:00:20+00:00"


def test_a_moment_without_a_timezone_is_refused(engine: sa.Engine) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        status_at(engine, datetime(2026, 11, 20, 12, 0))
