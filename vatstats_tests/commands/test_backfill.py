"""`vatstats backfill` from the command line: days materialised in Dagster, rows in the warehouse."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import orjson
import sqlalchemy as sa

from vatstats_assets.commands.backfill import day_chunks
from vatstats_assets.sim.simulation import Simulation
from vatstats_tests.core.tracks import airline_flight, utc
from vatstats_tests.defs.test_movements_asset import store_connection
from vatstats_tests.storage.test_rebuild import checksums, ingest_live


def test_days_are_split_into_runs_of_at_most_seven() -> None:
    chunks = day_chunks(date(2026, 11, 1), date(2026, 11, 16))
    assert chunks == [(date(2026, 11, 1), date(2026, 11, 7)), (date(2026, 11, 8), date(2026, 11, 14)),
                      (date(2026, 11, 15), date(2026, 11, 16))]


def test_a_week_backfilled_from_the_cli_fills_every_day_and_shows_in_dagsters_partitions(
    engine, database_url, postgres_server, dagster_database, tmp_path
) -> None:
    days = [date(2026, 11, 14) + timedelta(days=i) for i in range(7)]
    for i, day in enumerate(days):
        origin, destination = ("YSSY", "YMML") if i % 2 == 0 else ("YMML", "YSSY")
        flight = airline_flight(origin, destination, utc(f"{day} 06:00:00"), seed=i + 1)
        store_connection(engine, flight.connection(filed=(origin, destination)))
    dagster_db = dagster_database
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    env.update({"VATSTATS_DATABASE_URL": database_url, "VATSTATS_DATA_DIR": str(tmp_path),
                "VATSTATS_DAGSTER_DATABASE_NAME": dagster_db})
    result = subprocess.run(
        [sys.executable, "-m", "vatstats_assets.cli", "backfill", "traffic_movements",
         "--start", str(days[0]), "--end", str(days[-1]), "--quiet"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"backfilled traffic_movements from {days[0]} to {days[-1]} (7 days, 1 runs)" in result.stdout
    with engine.connect() as conn:
        per_day = conn.execute(sa.text(
            "SELECT (at AT TIME ZONE 'UTC')::date::text, count(*) FROM vatstats.traffic_movements GROUP BY 1 ORDER BY 1"
        )).all()
    assert [tuple(d) for d in per_day] == [(str(day), 2) for day in days]  # a departure and an arrival a day
    dagster = sa.create_engine(postgres_server.url_for(dagster_db), poolclass=sa.NullPool)
    with dagster.connect() as conn:
        partitions = conn.execute(sa.text(
            "SELECT DISTINCT partition FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'"
            " AND asset_key LIKE '%traffic_movements%' ORDER BY 1"
        )).scalars().all()
        runs = conn.execute(sa.text("SELECT count(*) FROM runs")).scalar()
    dagster.dispose()
    assert partitions == [str(day) for day in days]  # what the UI's partitions view reads
    assert runs == 1


def test_days_rebuilt_from_the_cli_give_back_the_rows_and_a_day_not_held_says_why(
    engine, database_url, dagster_database, tmp_path
) -> None:
    simulation = Simulation(start=datetime(2026, 11, 19, 22, 0, tzinfo=UTC), pilots=20, seed=5, controllers=6)
    ingest_live(engine, [orjson.dumps(simulation.snapshot(simulation.tick(i))) for i in range(0, 4 * 240, 20)])
    live = checksums(engine)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    env.update({"VATSTATS_DATABASE_URL": database_url, "VATSTATS_DATA_DIR": str(tmp_path),
                "VATSTATS_DAGSTER_DATABASE_NAME": dagster_database, "VATSTATS_REGION": "global"})

    def backfill(start: str, end: str, *downstream: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "vatstats_assets.cli", "backfill", *downstream, "ingest_rebuild",
                               "--start", start, "--end", end, "--quiet"],
                              env=env, capture_output=True, text=True, timeout=300)

    # Named in any order, the day's movements run after the rebuild they depend on, in the same run.
    rebuilt = backfill("2026-11-19", "2026-11-20", "traffic_movements")
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    assert "backfilled traffic_movements, ingest_rebuild from 2026-11-19 to 2026-11-20 (2 days, 1 runs)" in rebuilt.stdout
    assert checksums(engine) == live
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM vatstats.traffic_movements")).scalar() > 0
    refused = backfill("2026-11-18", "2026-11-18")
    assert refused.returncode == 2
    assert "Not rebuilt: no raw snapshots are held for 2026-11-18" in refused.stderr
    assert checksums(engine) == live
