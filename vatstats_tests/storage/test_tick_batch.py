"""Writing snapshots in batches leaves exactly the tables writing them one at a time leaves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from vatstats_assets.core.region import region
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.storage.ingest import PreparedTick, ensure_tick_partitions
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tick_batch import _ON_CONFLICT, tick_batch, write_batch
from vatstats_tests.support.midnight_feed import checksums, empty_ingest_tables, one_at_a_time, prepare
from vatstats_tests.support.tuning_feeds import SYDNEY, data_body, pilot, radio, tx_body


def in_batches(engine: sa.Engine, ticks: Sequence[PreparedTick], size: int) -> None:
    batch: list[PreparedTick] = []
    for tick in ticks:
        if batch and (len(batch) == size or batch[0].update_timestamp.date() != tick.update_timestamp.date()):
            write(engine, batch)
            batch = []
        batch.append(tick)
    write(engine, batch)


def write(engine: sa.Engine, batch: list[PreparedTick]) -> None:
    ensure_tick_partitions(engine, batch[0].update_timestamp.date())
    with engine.begin() as conn:
        assert write_batch(conn, tick_batch(batch))


def test_the_feed_has_what_the_batches_must_get_right(ticks: list[PreparedTick]) -> None:
    days = {tick.update_timestamp.date() for tick in ticks}
    missing = [t for t in ticks if t.transceivers_missing]
    assert len(days) == 2 and len(missing) == 20 and len(ticks) == 320 - 11


@pytest.mark.parametrize("size", [2, 7, 40, 400])
def test_batches_of_any_size_write_what_one_at_a_time_writes(engine, ticks, size) -> None:
    one_at_a_time(engine, ticks)
    expected = checksums(engine)
    assert expected["flight_positions"][0] > 10_000 and expected["transceiver_tunings"][0] > 40
    empty_ingest_tables(engine)
    in_batches(engine, ticks, size)
    assert checksums(engine) == expected


def test_batches_continue_an_archive_written_one_at_a_time(engine, ticks) -> None:
    one_at_a_time(engine, ticks)
    expected = checksums(engine)
    empty_ingest_tables(engine)
    one_at_a_time(engine, ticks[:95])  # the runs, tracks and parked aircraft carry on from these
    in_batches(engine, ticks[95:], 25)
    assert checksums(engine) == expected


def test_a_parked_aircraft_and_a_retuned_controller_across_batches(engine) -> None:
    at = [datetime(2026, 11, 20, 6, 0, tzinfo=UTC) + timedelta(seconds=15 * i) for i in range(8)]
    parked = pilot("QFA1") | {"groundspeed": 0, "altitude": 20}
    bodies = []
    for i, moment in enumerate(at):
        aircraft = parked | {"altitude": 20 + (i % 2) * 50}  # wanders by the whole parked jitter
        if i >= 5:
            aircraft |= {"groundspeed": 12, "latitude": -33.0 + i / 1000}  # pushes back
        frequency = 120_500_000 if i < 3 or i >= 6 else 118_100_000  # retunes and back
        bodies.append((data_body(moment, pilots=[aircraft]), tx_body(QFA1=[radio(frequency, SYDNEY)]), moment))
    ticks = [prepare(body, TransceiversFeed.received(tx), moment) for body, tx, moment in bodies]
    one_at_a_time(engine, ticks)
    expected = checksums(engine)
    assert expected["flight_positions"][0] == 4 and expected["transceiver_tunings"][0] == 3
    empty_ingest_tables(engine)
    one_at_a_time(engine, ticks[:2])
    in_batches(engine, ticks[2:], 3)
    assert checksums(engine) == expected


def test_a_batch_older_than_a_stored_snapshot_is_refused_and_writes_nothing(engine, ticks) -> None:
    one_at_a_time(engine, ticks[10:12])
    before = checksums(engine)
    with engine.begin() as conn:
        assert not write_batch(conn, tick_batch(ticks[:11]))
    assert checksums(engine) == before


def test_the_judge_query_holds_the_clause_a_batch_drops_when_nothing_can_conflict() -> None:
    assert query("batch_judge_positions").count(_ON_CONFLICT) == 1


def test_a_batch_over_track_rows_stored_already_is_written_around_them(engine, ticks) -> None:
    # Track rows newer than every stored snapshot (their snapshots deleted): the batch must append
    # with ON CONFLICT, not the plain insert it uses when none can be there (a unique violation).
    one_at_a_time(engine, ticks[:100])
    track = "SELECT count(*) FROM vatstats.flight_positions WHERE observed_at >= :at"
    at = {"at": ticks[80].update_timestamp}
    with engine.begin() as conn:
        stored = conn.execute(sa.text(track), at).scalar()
        conn.execute(sa.text("DELETE FROM vatstats.feed_snapshots WHERE update_timestamp >= :at"), at)
    write(engine, ticks[80:100])
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM vatstats.feed_snapshots")).scalar() == 100
        assert conn.execute(sa.text(track), at).scalar() >= stored > 100


def test_a_batch_out_of_order_or_over_midnight_is_a_programming_error(engine, ticks) -> None:
    with engine.begin() as conn, pytest.raises(ValueError, match="time order"):
        write_batch(conn, tick_batch([ticks[1], ticks[0]]))
    with engine.begin() as conn, pytest.raises(ValueError, match="one UTC day"):
        write_batch(conn, tick_batch(ticks[140:160]))


def test_rebuilding_a_day_ingested_with_transceivers_keeps_them_and_their_runs(engine, ticks) -> None:
    # Here for its feed (transceivers, lost feeds, over midnight); the rebuild's own tests are in
    # test_rebuild.py. A rebuild writes each snapshot's row again: its transceivers must come too.
    from vatstats_assets.storage.rebuild import rebuild_window

    one_at_a_time(engine, ticks)
    before = checksums(engine)
    day = datetime(2026, 11, 20, tzinfo=UTC)
    result = rebuild_window(engine, day, day + timedelta(days=1), region_for=region, store_names=True,
                            now=day + timedelta(days=3))
    assert result.snapshots > 100 and result.alive_at_start > 10
    assert checksums(engine) == before
