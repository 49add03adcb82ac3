"""`vatstats backfill` from the command line: days materialised in Dagster, rows in the warehouse."""

import os
import subprocess
import sys
import uuid
from datetime import date

import sqlalchemy as sa

from vatstats_assets.commands.backfill import day_chunks
from vatstats_tests.core.tracks import airline_flight, utc
from vatstats_tests.defs.test_movements_asset import store_connection


def test_days_are_split_into_runs_of_at_most_seven() -> None:
    chunks = day_chunks(date(2026, 11, 1), date(2026, 11, 16))
    assert chunks == [(date(2026, 11, 1), date(2026, 11, 7)), (date(2026, 11, 8), date(2026, 11, 14)),
                      (date(2026, 11, 15), date(2026, 11, 16))]


def test_a_backfill_from_the_cli_fills_the_days_and_records_them_in_dagster(engine, database_url, postgres_server, tmp_path) -> None:
    store_connection(engine, airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00")).connection(filed=("YSSY", "YMML")))
    store_connection(engine, airline_flight("YMML", "YSSY", utc("2026-11-21 06:00:00"), seed=2).connection(filed=("YMML", "YSSY")))
    dagster_db = f"dagster_test_{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    env.update({"VATSTATS_DATABASE_URL": database_url, "VATSTATS_DATA_DIR": str(tmp_path),
                "VATSTATS_DAGSTER_DATABASE_NAME": dagster_db})
    result = subprocess.run(
        [sys.executable, "-m", "vatstats_assets.cli", "backfill", "traffic_movements",
         "--start", "2026-11-20", "--end", "2026-11-21", "--quiet"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "backfilled traffic_movements from 2026-11-20 to 2026-11-21 (2 days, 1 runs)" in result.stdout
    with engine.connect() as conn:
        days = conn.execute(sa.text(
            "SELECT (at AT TIME ZONE 'UTC')::date::text, count(*) FROM vatstats.traffic_movements GROUP BY 1 ORDER BY 1"
        )).all()
    assert [tuple(d) for d in days] == [("2026-11-20", 2), ("2026-11-21", 2)]
    dagster = sa.create_engine(postgres_server.url_for(dagster_db), poolclass=sa.NullPool)
    with dagster.connect() as conn:
        partitions = conn.execute(sa.text(
            "SELECT DISTINCT partition FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'"
            " AND asset_key LIKE '%traffic_movements%' ORDER BY 1"
        )).scalars().all()
    dagster.dispose()
    assert partitions == ["2026-11-20", "2026-11-21"]
