"""The warehouse database failing under ingestion: down at the start, restarted mid-stream, writer killed.

No tick is ever half visible (one transaction per tick) and ingestion carries on by itself once the
server is back: no manual step, no repair.
"""

import gc
import os
import random
import signal
import subprocess
import time
from datetime import datetime
from pathlib import Path

import dagster as dg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vatstats_assets.commands.snapshot_files import discover
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_tests.reliability.cli_runs import run_vatstats, start_vatstats
from vatstats_tests.reliability.ingest_runs import ingest_resources, run_ingest
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.reliability.throwaway import EmbeddedPostgres
from vatstats_tests.reliability.warehouse_checksums import (
    INGEST_TABLES,
    WRITE_TIME_COLUMNS,
    table_checksum,
    warehouse_checksums,
)

# The embedded server trusts its unix socket, so any password is accepted: enough to show it is never shown.
PASSWORD = "pw-that-must-never-be-logged-7Q"
# A replay that never reaches a write in this long is stuck, not slow: fail instead of hanging.
KILL_DEADLINE_S = 60


def stored_snapshots(url: str) -> list:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT update_timestamp FROM vatstats.feed_snapshots ORDER BY 1")).scalars().all()
    finally:
        engine.dispose()


def test_a_database_down_when_a_run_starts_fails_it_in_one_sentence_naming_the_database(
    embedded: EmbeddedPostgres, feed: SteppedSimulator
) -> None:
    url = make_url(embedded.warehouse_url).set(password=PASSWORD).render_as_string(hide_password=False)
    resources = ingest_resources(url, feed.data_url)
    embedded.stop()
    try:
        run = run_ingest(resources)
    finally:
        embedded.start()

    assert not run.success
    assert len(run.events_of(dg.DagsterEventType.STEP_UP_FOR_RETRY)) == 3  # a restart may be over by then
    [failure] = run.events_of(dg.DagsterEventType.STEP_FAILURE)
    description = failure.event_specific_data.user_failure_data.description
    shown = make_url(url).render_as_string(hide_password=True)
    assert description.startswith(f"The warehouse database {shown} cannot be reached: ")
    assert "\n" not in description
    assert PASSWORD not in run.text

    # The server is back: the next run needs nothing from anyone.
    assert run_ingest(resources).success
    assert stored_snapshots(embedded.warehouse_url) == [feed.current_tick().moment]


def test_a_database_restarted_between_snapshots_is_reconnected_and_no_snapshot_is_lost(
    embedded: EmbeddedPostgres, feed: SteppedSimulator
) -> None:
    resources = ingest_resources(embedded.warehouse_url, feed.data_url)
    engine = WarehouseResource(database_url=embedded.warehouse_url).engine  # the pool every run shares
    served = []
    for tick in range(6):
        if tick in (2, 4):
            assert engine.pool.checkedin() > 0  # pooled connections the restart is about to sever
            embedded.restart()
        run = run_ingest(resources)
        assert run.success, run.messages
        served.append(feed.current_tick().moment)
        feed.step()

    assert stored_snapshots(embedded.warehouse_url) == served


def kill_while_writing(process: subprocess.Popen, engine: sa.Engine, after_snapshots: int) -> int:
    """SIGKILL `process` while it holds a tick's write transaction open, once `after_snapshots` are committed.

    A backend with a transaction id has written something it has not committed yet: that is the
    moment to kill. Returns how many snapshots were committed just before.
    """
    deadline = time.monotonic() + KILL_DEADLINE_S
    with engine.connect() as conn:
        while time.monotonic() < deadline and process.poll() is None:
            committed, writing = conn.execute(sa.text(
                "SELECT (SELECT count(*) FROM vatstats.feed_snapshots),"
                " EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
                "         AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL)"
            )).one()
            conn.rollback()  # a fresh snapshot of the database on every poll
            if committed >= after_snapshots and writing:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                return committed
    raise AssertionError(f"replay never had a write in progress after {after_snapshots} snapshots")


def prefix_checksums(conn: sa.Connection, until: datetime) -> tuple[str, str]:
    """Checksums of the raw snapshots and track points up to `until`: what every tick appended."""
    return (
        table_checksum(conn, "feed_snapshots", WRITE_TIME_COLUMNS["feed_snapshots"],
                       where="update_timestamp <= :until", params={"until": until}),
        table_checksum(conn, "flight_positions", where="observed_at <= :until", params={"until": until}),
    )


def test_a_replay_killed_in_the_middle_of_a_write_leaves_only_whole_snapshots_and_resumes(
    engine: sa.Engine, database_url: str, snapshot_folder: Path, reference_warehouse: sa.Engine
) -> None:
    in_order = [saved.update_timestamp for saved in discover(snapshot_folder)[0]]
    after = random.randint(3, len(in_order) * 2 // 3)  # a moment anywhere in the stream
    replay = ("replay", str(snapshot_folder), "--region", "global", "--quiet")
    process = start_vatstats(*replay, env={"VATSTATS_DATABASE_URL": database_url},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kill_while_writing(process, engine, after)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL

    stored = stored_snapshots(database_url)
    assert 0 < len(stored) < len(in_order) and stored == in_order[: len(stored)], f"killed after {after}"
    last = stored[-1]
    with engine.connect() as conn:
        orphans = conn.execute(sa.text(
            "SELECT count(*) FROM vatstats.flight_positions p WHERE NOT EXISTS"
            " (SELECT 1 FROM vatstats.feed_snapshots s WHERE s.update_timestamp = p.observed_at)")).scalar_one()
        pilots_stored, controllers_stored = conn.execute(sa.text(
            "SELECT pilots_stored, controllers_stored FROM vatstats.feed_snapshots WHERE update_timestamp = :ts"),
            {"ts": last}).one()
        flights_last, controllers_last = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM vatstats.flights WHERE last_seen = :ts),"
            " (SELECT count(*) FROM vatstats.atc_positions WHERE last_seen = :ts AND NOT is_atis)"),
            {"ts": last}).one()
        connections_without_track = conn.execute(sa.text(
            "SELECT count(*) FROM vatstats.flights f WHERE NOT EXISTS (SELECT 1 FROM vatstats.flight_positions p"
            " WHERE (p.cid, p.callsign, p.logon_time) = (f.cid, f.callsign, f.logon_time))")).scalar_one()
        killed_prefix = prefix_checksums(conn, last)
    with reference_warehouse.connect() as conn:
        reference_prefix = prefix_checksums(conn, last)
    assert orphans == 0 and connections_without_track == 0
    assert (flights_last, controllers_last) == (pilots_stored, controllers_stored)
    assert killed_prefix == reference_prefix  # every stored tick complete, exactly as an undisturbed replay

    resumed = run_vatstats(*replay, env={"VATSTATS_DATABASE_URL": database_url})
    assert resumed.returncode == 0, resumed.stderr
    assert f"({len(stored)} already stored, 0 files skipped)" in resumed.stdout
    assert warehouse_checksums(engine, INGEST_TABLES, across_databases=True) == warehouse_checksums(
        reference_warehouse, INGEST_TABLES, across_databases=True)



def test_a_failure_writing_the_last_ingest_output_leaves_no_row_of_the_tick(
    engine: sa.Engine, database_url: str, feed: SteppedSimulator
) -> None:
    # The track positions are the tick's last write; PostgreSQL refuses them here.
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION vatstats.refuse_positions() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'positions refused by the test'; END $$;"
            " CREATE TRIGGER refuse_positions BEFORE INSERT ON vatstats.flight_positions"
            " FOR EACH ROW EXECUTE FUNCTION vatstats.refuse_positions();"
        )
    try:
        run = run_ingest(ingest_resources(database_url, feed.data_url))
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP FUNCTION vatstats.refuse_positions() CASCADE")

    assert not run.success
    assert any("positions refused by the test" in message for message in run.messages)
    with engine.connect() as conn:
        stored = {table: conn.execute(sa.text(f"SELECT count(*) FROM vatstats.{table}")).scalar()
                  for table in ("feed_snapshots", "flights", "atc_positions", "flight_positions")}
    assert stored == dict.fromkeys(stored, 0)
    assert gc.isenabled()  # the failed tick's pause of the cycle collector has ended
    # The same snapshot is stored whole by the next run.
    assert run_ingest(ingest_resources(database_url, feed.data_url)).success
