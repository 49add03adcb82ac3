"""`vatstats status`: the live figures as an aligned table or as JSON, from a real PostgreSQL."""

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from vatstats_assets.commands.status import main, status_table
from vatstats_assets.storage.status import NetworkStatus
from vatstats_tests.support.warehouse_rows import add_flights, add_snapshots, flight, snapshot


def test_status_json_gives_the_figures_for_scripts(engine: sa.Engine, warehouse_env: str, capsys) -> None:
    latest = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)
    add_snapshots(engine, [snapshot(latest, pilots=2)])
    add_flights(engine, [flight(1, latest - timedelta(hours=1), latest), flight(2, latest, latest)])

    assert main(["--json"]) == 0

    values = json.loads(capsys.readouterr().out)
    assert values["pilots_online"] == 2
    assert values["last_snapshot_at"] == latest.isoformat()
    assert values["last_snapshot_age_s"] >= 30


def test_status_table_aligns_labels_and_says_how_old_the_snapshot_is() -> None:
    status = NetworkStatus(
        at=datetime(2026, 11, 20, 12, 5, tzinfo=UTC), last_snapshot_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
        last_snapshot_age_s=300.0, pilots_online=702, controllers_online=81, flights_today=1500,
        movements_today=900, snapshots_today=2900,
    )
    lines = status_table(status).splitlines()
    assert lines[0] == "last snapshot       2026-11-20 12:00:00Z (5 min ago)"
    assert lines[1] == "pilots online       702"
    value_column = len("controllers online") + 2  # the longest label and two spaces
    assert all(line[value_column - 1] == " " and line[value_column] != " " for line in lines)


def test_status_of_an_empty_warehouse_says_nothing_is_stored(engine: sa.Engine, warehouse_env: str, capsys) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "last snapshot       none stored yet" in out
    assert "pilots online       0" in out
