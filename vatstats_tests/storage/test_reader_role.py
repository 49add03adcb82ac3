"""The read-only role vatstats_reader: it reads the reporting tables and views, and nothing else."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vatstats_assets.settings import Settings
from vatstats_assets.storage.engine import create_read_engine
from vatstats_assets.storage.reader import READER_ROLE, read_url, reader_password
from vatstats_assets.storage.server import PostgresServer, drop_database, ensure_private_database

READABLE = (
    "flights", "atc_positions", "flight_positions", "traffic_movements", "movement_summaries",
    "flight_summaries", "controller_summaries", "network_daily_stats", "current_flights", "current_atc",
    "airport_hourly_movements", "report_airport_hourly_traffic", "report_controller_hours", "report_busiest_days",
    "airspace_volumes", "airspace_sectors", "sector_occupancy", "sector_hourly_load",
)
REPORTING_VIEWS = ("report_airport_hourly_traffic", "report_controller_hours", "report_busiest_days")


def _refused(reader_engine: sa.Engine, statement: str) -> str:
    """Run `statement` as the reader; the database's refusal, which must come."""
    with pytest.raises(sa.exc.DBAPIError) as refusal, reader_engine.connect() as conn:
        conn.exec_driver_sql(statement)
    return str(refusal.value.orig)


@pytest.mark.parametrize("relation", READABLE)
def test_reader_selects_every_reporting_table_and_view(reader_engine: sa.Engine, relation: str) -> None:
    with reader_engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT * FROM vatstats.{relation} LIMIT 1").all()


@pytest.mark.parametrize("statement", [
    "INSERT INTO vatstats.network_daily_stats (date, unique_pilots, unique_controllers, peak_pilots,"
    " peak_controllers, snapshots_ingested, snapshots_missed, busiest_airports)"
    " VALUES ('2026-01-01', 1, 1, 1, 1, 1, 1, '[]')",
    "UPDATE vatstats.flights SET callsign = 'X'",
    "DELETE FROM vatstats.traffic_movements",
    "TRUNCATE vatstats.controller_summaries",
    "CREATE TABLE vatstats.intruder (x int)",
    "CREATE TABLE public.intruder (x int)",
    "DROP VIEW vatstats.report_busiest_days",
    "ALTER TABLE vatstats.flights ADD COLUMN x int",
    "GRANT SELECT ON vatstats.flights TO PUBLIC",
])
def test_reader_cannot_write_or_change_the_warehouse(reader_engine: sa.Engine, statement: str) -> None:
    reason = _refused(reader_engine, statement)
    assert "permission denied" in reason or "read-only transaction" in reason


def test_reader_sessions_start_read_only_and_with_a_statement_timeout(reader_engine: sa.Engine) -> None:
    with reader_engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW default_transaction_read_only").scalar() == "on"
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "1min"


@pytest.mark.parametrize("relation", ["feed_snapshots", "schema_migrations"])
def test_reader_cannot_read_raw_snapshots_or_the_migration_record(reader_engine: sa.Engine, relation: str) -> None:
    assert "permission denied" in _refused(reader_engine, f"SELECT * FROM vatstats.{relation} LIMIT 1")


def test_reader_cannot_connect_to_dagsters_database(postgres_server: PostgresServer, reader_url: str) -> None:
    dagster_database = f"dagster_test_{uuid.uuid4().hex[:10]}"
    ensure_private_database(postgres_server, dagster_database)
    engine = create_read_engine(make_url(reader_url).set(database=dagster_database).render_as_string(False))
    try:
        with pytest.raises(sa.exc.OperationalError, match="permission denied for database"):
            with engine.connect():
                pass
    finally:
        engine.dispose()
        drop_database(postgres_server, dagster_database)


def test_reporting_views_each_carry_a_comment_on_the_view_and_every_column(reader_engine: sa.Engine) -> None:
    with reader_engine.connect() as conn:
        for view in REPORTING_VIEWS:
            described = conn.execute(sa.text(
                "SELECT obj_description(c.oid, 'pg_class') AS view_comment,"
                " count(*) FILTER (WHERE col_description(c.oid, a.attnum) IS NULL) AS bare_columns"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
                " WHERE n.nspname = 'vatstats' AND c.relname = :view GROUP BY c.oid"
            ), {"view": view}).one()
            assert described.view_comment and described.bare_columns == 0, view


def test_reporting_views_answer_traffic_by_hour_and_the_busiest_days(engine: sa.Engine, reader_engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO vatstats.movement_summaries VALUES"
            " ('2026-11-20', 'YSSY', 6, 'departure', 'B738', 3), ('2026-11-20', 'YSSY', 6, 'departure', 'A320', 2),"
            " ('2026-11-20', 'YSSY', 6, 'arrival', 'B738', 4), ('2026-11-21', 'YMML', 9, 'arrival', 'DH8D', 1)"
        ))
        conn.execute(sa.text(
            "INSERT INTO vatstats.network_daily_stats (date, unique_pilots, unique_controllers, peak_pilots,"
            " peak_controllers, snapshots_ingested, snapshots_missed, busiest_airports) VALUES"
            " ('2026-11-20', 50, 5, 30, 4, 5760, 0, '[]'), ('2026-11-21', 60, 6, 35, 5, 5760, 0, '[]')"
        ))
    with reader_engine.connect() as conn:
        hourly = conn.execute(sa.text(
            "SELECT departures, arrivals, movements FROM vatstats.report_airport_hourly_traffic"
            " WHERE airport = 'YSSY' AND date = '2026-11-20' AND hour = 6"
        )).one()
        busiest = conn.execute(sa.text(
            "SELECT date, movements FROM vatstats.report_busiest_days ORDER BY rank_by_movements"
        )).all()
    assert tuple(hourly) == (5, 4, 9)
    assert [(row.date, row.movements) for row in busiest] == [(date(2026, 11, 20), 9), (date(2026, 11, 21), 1)]


def test_reader_password_is_made_once_and_kept_private(tmp_path) -> None:
    settings = Settings.from_env({"VATSTATS_DATA_DIR": str(tmp_path)})
    first = reader_password(settings)
    assert reader_password(settings) == first and len(first) >= 24
    assert (tmp_path / "reader-password").stat().st_mode & 0o777 == 0o600


def test_configured_reader_password_and_read_replica_url_win(tmp_path, postgres_server: PostgresServer) -> None:
    settings = Settings.from_env({"VATSTATS_DATA_DIR": str(tmp_path), "VATSTATS_READER_PASSWORD": "s3cret"})
    assert make_url(read_url(settings, postgres_server)).password == "s3cret"
    assert make_url(read_url(settings, postgres_server)).username == READER_ROLE
    replica = Settings.from_env({"VATSTATS_READ_DATABASE_URL": "postgresql://ro@replica:5432/vatstats"})
    assert read_url(replica, postgres_server) == "postgresql+psycopg2://ro@replica:5432/vatstats"


def test_test_reader_fixture_really_connects_as_the_reader(reader_engine: sa.Engine) -> None:
    with reader_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT current_user").scalar() == READER_ROLE
