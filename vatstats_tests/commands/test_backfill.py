"""`vatstats backfill` from the command line: days materialised in Dagster, rows in the warehouse."""

import os
import subprocess
import sys
from datetime import date, timedelta

import sqlalchemy as sa

from vatstats_assets.commands.backfill import day_chunks
from vatstats_tests.core.tracks import airline_flight, utc
from vatstats_tests.defs.test_movements_asset import store_connection


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
