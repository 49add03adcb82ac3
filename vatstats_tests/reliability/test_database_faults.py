"""The warehouse database failing under ingestion: down at the start, restarted mid-stream, writer killed.

No tick is ever half visible (one transaction per tick) and ingestion carries on by itself once the
server is back: no manual step, no repair.
"""

import dagster as dg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vatstats_assets.defs.resources import WarehouseResource
from vatstats_tests.reliability.ingest_runs import ingest_resources, run_ingest
from vatstats_tests.reliability.stepped_feed import SteppedSimulator
from vatstats_tests.reliability.throwaway import EmbeddedPostgres

# The embedded server trusts its unix socket, so any password is accepted: enough to show it is never shown.
PASSWORD = "pw-that-must-never-be-logged-7Q"


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
    before = stored_snapshots(embedded.warehouse_url)
    served = []
    for tick in range(6):
        if tick in (2, 4):
            assert engine.pool.checkedin() > 0  # pooled connections the restart is about to sever
            embedded.restart()
        run = run_ingest(resources)
        assert run.success, run.messages
        served.append(feed.current_tick().moment)
        feed.step()

    assert stored_snapshots(embedded.warehouse_url) == sorted(before + served)
