"""Tuning runs written with the tick that saw them, against a real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import psycopg2
import pytest
import sqlalchemy as sa

from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.region import region
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.core.tuning_runs import TickTunings, TuningRow
from vatstats_assets.storage.ingest import INGEST_WRITES, WRITERS, ensure_tick_partitions, prepare_tick, write_tick
from vatstats_assets.storage.migrations import migrate
from vatstats_assets.storage.raw_body import decompress_raw
from vatstats_assets.storage.tables import FEED_SNAPSHOTS
from vatstats_tests.support.tuning_feeds import MELBOURNE, START, SYDNEY, controller, data_body, pilot, radio, tx_body


def tick(engine: sa.Engine, seconds: float, transceivers: bytes | None, *, missing: str = "timed out",
         pilots=None, controllers=None, atis=()) -> dict:
    at = START + timedelta(seconds=seconds)
    body = data_body(at, pilots or [pilot()], controllers or [controller()], atis)
    snapshot = parse_snapshot(body)
    ensure_tick_partitions(engine, at.date())
    feed = TransceiversFeed.received(transceivers) if transceivers is not None else TransceiversFeed.not_received(missing)
    prepared = prepare_tick(snapshot, body, source="test", fetched_at=at, region=region("global"),
                            store_names=True, transceivers=feed)
    return write_tick(engine, prepared)


def runs(engine: sa.Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT callsign, cid, frequency_hz, extract(epoch FROM first_seen - :start)::int,"
            " extract(epoch FROM last_seen - :start)::int, site_latitudes, is_pilot"
            " FROM vatstats.transceiver_tunings ORDER BY callsign, cid, logon_time, first_seen, frequency_hz"),
            {"start": START})]


def test_a_tick_with_transceivers_stores_its_runs_and_its_raw_body(engine: sa.Engine) -> None:
    body = tx_body(QFA1=[radio(124_500_000), radio(118_700_000)], SY_TWR=[radio(120_500_000, SYDNEY)])
    tick(engine, 0, body)
    assert runs(engine) == [
        ("QFA1", 1001, 118_700_000, 0, 0, None, True),
        ("QFA1", 1001, 124_500_000, 0, 0, None, True),
        ("SY_TWR", 2001, 120_500_000, 0, 0, [pytest.approx(SYDNEY[0])], False),
    ]
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT transceivers_body, body_encoding, transceivers_raw_bytes, transceivers_entries,"
            " transceivers_skipped, transceivers_missing FROM vatstats.feed_snapshots")).one()
    assert decompress_raw(row.transceivers_body, row.body_encoding) == body
    assert (row.transceivers_raw_bytes, row.transceivers_entries, row.transceivers_skipped) == (len(body), 2, 0)
    assert row.transceivers_missing is None


def test_radios_on_unicom_guard_or_nothing_make_no_run_but_stay_in_the_raw_body(engine: sa.Engine) -> None:
    body = tx_body(QFA1=[radio(122_800_000), radio(121_500_000)], SY_TWR=[radio(199_998_000, SYDNEY)])
    tick(engine, 0, body)
    assert runs(engine) == []
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT transceivers_body, body_encoding, transceivers_entries"
                                   " FROM vatstats.feed_snapshots")).one()
    assert decompress_raw(row.transceivers_body, row.body_encoding) == body
    assert row.transceivers_entries == 2


def test_consecutive_ticks_extend_one_run_instead_of_adding_rows(engine: sa.Engine) -> None:
    for n in range(4):
        counts = tick(engine, 15 * n, tx_body(QFA1=[radio(124_500_000)], SY_TWR=[radio(120_500_000)]))
    assert counts["transceiver_tunings"].updated == 2 and counts["transceiver_tunings"].inserted == 0
    assert [(r[0], r[3], r[4]) for r in runs(engine)] == [("QFA1", 0, 45), ("SY_TWR", 0, 45)]


def test_a_retune_starts_a_new_run_and_ends_the_old_one(engine: sa.Engine) -> None:
    tick(engine, 0, tx_body(QFA1=[radio(124_500_000)]))
    tick(engine, 15, tx_body(QFA1=[radio(124_500_000)]))
    tick(engine, 30, tx_body(QFA1=[radio(118_700_000)]))
    tick(engine, 45, tx_body(QFA1=[radio(124_500_000)]))
    assert [(r[2], r[3], r[4]) for r in runs(engine)] == [
        (124_500_000, 0, 15), (118_700_000, 30, 30), (124_500_000, 45, 45),
    ]


def test_a_reconnect_or_another_member_under_the_same_callsign_starts_a_new_run(engine: sa.Engine) -> None:
    tuned = tx_body(QFA1=[radio(124_500_000)])
    tick(engine, 0, tuned, pilots=[pilot()])
    tick(engine, 15, tuned, pilots=[pilot(logon="2026-11-20T06:00:10Z")])  # the same member, a new logon
    tick(engine, 30, tuned, pilots=[pilot(cid=1002, logon="2026-11-20T06:00:20Z")])  # another member
    assert [(r[1], r[3], r[4]) for r in runs(engine) if r[0] == "QFA1"] == [(1001, 0, 0), (1001, 15, 15), (1002, 30, 30)]


def test_a_controller_moving_a_transceiver_starts_a_new_run(engine: sa.Engine) -> None:
    tick(engine, 0, tx_body(SY_TWR=[radio(120_500_000, SYDNEY), radio(120_500_000, MELBOURNE)]))
    # The same sites listed in another order are the same sites.
    tick(engine, 15, tx_body(SY_TWR=[radio(120_500_000, MELBOURNE), radio(120_500_000, SYDNEY)]))
    tick(engine, 30, tx_body(SY_TWR=[radio(120_500_000, SYDNEY)]))
    towers = [(r[3], r[4], len(r[5])) for r in runs(engine) if r[0] == "SY_TWR"]
    assert towers == [(0, 15, 2), (30, 30, 1)]


def test_missing_transceivers_store_the_snapshot_with_the_reason_and_keep_runs_within_the_gap(engine) -> None:
    tuned = tx_body(QFA1=[radio(124_500_000)])
    tick(engine, 0, tuned)
    tick(engine, 15, None, missing="https://x/transceivers-data.json did not answer within 3 s")
    tick(engine, 30, None)
    tick(engine, 45, None)
    tick(engine, 60, tuned)  # three ticks missing: still within RUN_GAP_S of the run's last_seen
    assert [(r[0], r[3], r[4]) for r in runs(engine)] == [("QFA1", 0, 60)]
    with engine.connect() as conn:
        stored = conn.execute(sa.text(
            "SELECT extract(epoch FROM update_timestamp - :start)::int, transceivers_missing, transceivers_body IS NULL"
            " FROM vatstats.feed_snapshots ORDER BY update_timestamp"), {"start": START}).all()
    assert [tuple(r) for r in stored] == [
        (0, None, False), (15, "https://x/transceivers-data.json did not answer within 3 s", True),
        (30, "timed out", True), (45, "timed out", True), (60, None, False),
    ]


def test_transceivers_missing_for_longer_than_the_gap_end_the_run(engine: sa.Engine) -> None:
    tuned = tx_body(QFA1=[radio(124_500_000)])
    tick(engine, 0, tuned)
    for n in range(1, 5):
        tick(engine, 15 * n, None)
    tick(engine, 75, tuned)
    assert [(r[3], r[4]) for r in runs(engine)] == [(0, 0), (75, 75)]


def test_a_run_not_seen_in_the_previous_transceivers_snapshot_is_not_extended(engine: sa.Engine) -> None:
    tick(engine, 0, tx_body(QFA1=[radio(124_500_000)]))
    tick(engine, 15, tx_body(QFA1=[]))  # connected, no radio tuned
    tick(engine, 30, tx_body(QFA1=[radio(124_500_000)]))
    assert [(r[3], r[4]) for r in runs(engine)] == [(0, 0), (30, 30)]


def test_atis_and_unknown_callsigns_are_skipped_and_counted(engine: sa.Engine) -> None:
    atis = {**controller("SY_ATIS", cid=2002), "frequency": "126.250", "atis_code": "A"}
    tick(engine, 0, tx_body(QFA1=[radio(124_500_000)], SY_ATIS=[radio(126_250_000)], NOBODY=[radio(122_800_000)]),
         atis=[atis])
    assert [r[0] for r in runs(engine)] == ["QFA1"]
    with engine.connect() as conn:
        entries, skipped = conn.execute(sa.text(
            "SELECT transceivers_entries, transceivers_skipped FROM vatstats.feed_snapshots")).one()
    assert (entries, skipped) == (1, 2)


def test_writing_the_same_snapshot_again_adds_no_run(engine: sa.Engine) -> None:
    tuned = tx_body(QFA1=[radio(124_500_000)])
    tick(engine, 0, tuned)
    tick(engine, 15, tuned)
    again = tick(engine, 15, tuned)
    assert again["transceiver_tunings"].written == 0
    assert [(r[3], r[4]) for r in runs(engine)] == [(0, 15)]


def test_an_unusable_transceivers_body_is_recorded_as_missing_not_lost_with_the_snapshot(engine: sa.Engine) -> None:
    tick(engine, 0, b'{"not": "a list"}')
    with engine.connect() as conn:
        missing = conn.execute(sa.text("SELECT transceivers_missing FROM vatstats.feed_snapshots")).scalar()
    assert missing == "the transceivers feed was unusable: the transceivers JSON is an object, expected a list"
    assert runs(engine) == []


def test_a_failure_while_writing_the_runs_leaves_nothing_of_the_tick(engine: sa.Engine) -> None:
    body = data_body(START, [pilot()], [controller()])
    snapshot = parse_snapshot(body)
    ensure_tick_partitions(engine, START.date())
    prepared = prepare_tick(snapshot, body, source="test", fetched_at=START, region=region("global"),
                            store_names=True, transceivers=TransceiversFeed.received(tx_body(QFA1=[radio(124_500_000)])))
    # A run PostgreSQL refuses (a frequency past integer), written last, after the snapshot's rows.
    bad = TuningRow("QFA1", True, 2**40, 124_500_000, None, None)
    prepared.tables["transceiver_tunings"] = TickTunings(START, [bad], 1)
    with pytest.raises(psycopg2.errors.NumericValueOutOfRange):
        write_tick(engine, prepared)
    with engine.connect() as conn:
        stored = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM vatstats.feed_snapshots) + (SELECT count(*) FROM vatstats.flights)"
            " + (SELECT count(*) FROM vatstats.transceiver_tunings)")).scalar()
    assert stored == 0


@pytest.fixture
def own_database(unmigrated_engine: sa.Engine) -> sa.Engine:
    """A database of this test's own: pruning waits for every open snapshot in the database."""
    migrate(unmigrated_engine)
    return unmigrated_engine


def test_extending_runs_settles_to_heap_only_updates(own_database: sa.Engine) -> None:
    """Every tick moves last_seen of every open run: no index holds it (only its hour) and each page
    keeps room for a second version of its rows (fill factor 50), so extensions are heap-only."""
    engine = own_database
    pilots = [pilot(f"P{n:04d}", cid=10_000 + n) for n in range(400)]
    tuned = tx_body(**{p["callsign"]: [radio(124_500_000), radio(118_700_000)] for p in pilots})
    for n in range(5):
        tick(engine, 15 * n, tuned, pilots=pilots)
    at = START + timedelta(seconds=75)
    body = data_body(at, pilots, [controller()])
    prepared = prepare_tick(parse_snapshot(body), body, source="test", fetched_at=at, region=region("global"),
                            store_names=True, transceivers=TransceiversFeed.received(tuned))
    statistics = sa.text("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
                         " WHERE schemaname = 'vatstats' AND relname = 'transceiver_tunings'")
    with engine.begin() as conn:  # this connection's counters, before and after the tick's writes
        updated_before, heap_only_before = conn.execute(statistics).one()
        for asset_name, (mode, spec) in INGEST_WRITES.items():
            WRITERS[mode](conn, spec, prepared.tables[asset_name])
        updated_after, heap_only_after = conn.execute(statistics).one()
    updated, heap_only = updated_after - updated_before, heap_only_after - heap_only_before
    assert updated == 800
    # An index on last_seen would make every one of them non-heap-only: exactly 0. All of them are,
    # alone (100 %); pruning, which makes the room, is skipped on a page another backend has pinned
    # (autovacuum, in a busy CI run), so only "some" is exact here, as for flights.
    assert heap_only > 0


def test_a_transceivers_body_given_as_stored_is_kept_as_it_is_not_compressed_again() -> None:
    """The rebuild hands back the stored (zstd) body beside the text it parses: the row keeps those bytes."""
    at = START
    pilots = [pilot("QFA1")]
    body, tuned = data_body(at, pilots, [controller()]), tx_body(QFA1=[radio(124_500_000)])
    row = FEED_SNAPSHOTS.columns.index("transceivers_body")

    def stored_transceivers(feed: TransceiversFeed) -> bytes:
        prepared = prepare_tick(parse_snapshot(body), body, source="test", fetched_at=at, region=region("global"),
                                store_names=True, transceivers=feed)
        return prepared.tables["raw_feed_snapshot"].rows[0][row]  # type: ignore[union-attr]

    assert stored_transceivers(TransceiversFeed.received(tuned, stored=b"as stored")) == b"as stored"
    assert decompress_raw(stored_transceivers(TransceiversFeed.received(tuned)), "zstd") == tuned
