"""Rebuilding the ingest tables from the raw snapshots gives back exactly what live ingestion wrote."""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa

from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.region import region
from vatstats_assets.sim.simulation import Simulation
from vatstats_assets.storage import tick_batch
from vatstats_assets.storage.ingest import ensure_tick_partitions, prepare_tick, write_tick
from vatstats_assets.storage.partitions import drop_partitions_before
from vatstats_assets.storage.raw_body import compress_raw
from vatstats_assets.storage.rebuild import (
    PAGE_SIZE,
    REBUILD_LOCK_KEY,
    RebuildRefused,
    oldest_raw_day_needed,
    rebuild_window,
)
from vatstats_tests.core.test_feed_parse import controller_record, feed, pilot_record
from vatstats_tests.fixtures import FEED_FIXTURE_DATES, load_fixture_bytes
from vatstats_tests.reliability.snapshot_files import SIMULATED_START, replay_folder, write_snapshot_files

# Three UTC days: the last hours of the first, all of the second, the first hours of the third.
START = datetime(2026, 11, 18, 21, 0, tzinfo=UTC)
HOURS = 30
EVERY_N_TICKS = 20  # a snapshot every 5 minutes keeps the test quick; the sequence is what counts
DAY_1, DAY_2, DAY_3 = (datetime(2026, 11, d, tzinfo=UTC) for d in (18, 19, 20))
DAY = timedelta(days=1)

CHECKSUMS = {
    "flights": "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY cid, callsign, logon_time)) FROM vatstats.flights t",
    "atc_positions": "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY callsign, cid, logon_time))"
                     " FROM vatstats.atc_positions t",
    "flight_positions": "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY cid, callsign, logon_time, observed_at))"
                        " FROM vatstats.flight_positions t",
    # The raw rows are written again by the tick path: they must come out as they were (stored_at aside).
    "feed_snapshots": "SELECT count(*), md5(string_agg((to_jsonb(t) - 'stored_at')::text, '|' ORDER BY update_timestamp))"
                      " FROM vatstats.feed_snapshots t",
}


@pytest.fixture(scope="module")
def bodies() -> list[bytes]:
    simulation = Simulation(start=START, pilots=40, seed=16, controllers=12)
    ticks = range(0, HOURS * 240, EVERY_N_TICKS)
    return [orjson.dumps(simulation.snapshot(simulation.tick(index))) for index in ticks]


def ingest_live(engine: sa.Engine, bodies: list[bytes]) -> None:
    for body in bodies:
        snapshot = parse_snapshot(body)
        ensure_tick_partitions(engine, snapshot.update_timestamp.date())
        write_tick(engine, prepare_tick(
            snapshot, body, source="sim", fetched_at=snapshot.update_timestamp + timedelta(seconds=2),
            region=region("global"), store_names=True))


def checksums(engine: sa.Engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        return {table: tuple(conn.execute(sa.text(sql)).one()) for table, sql in CHECKSUMS.items()}


def rebuild(engine: sa.Engine, start: datetime, end: datetime, **options):
    return rebuild_window(engine, start, end, region_for=region, store_names=True, **options)


@pytest.fixture
def live(engine: sa.Engine, bodies: list[bytes]) -> Iterator[dict[str, tuple]]:
    """The three days ingested live, and the checksums of what that wrote."""
    ingest_live(engine, bodies)
    yield checksums(engine)


def test_the_days_cross_midnight_with_connections_alive_across_it(engine: sa.Engine, live: dict) -> None:
    with engine.connect() as conn:
        crossing = conn.execute(sa.text(
            "SELECT count(*) FROM vatstats.flights WHERE first_seen < :m AND last_seen >= :m"), {"m": DAY_2}).scalar()
        parked = conn.execute(sa.text(
            "SELECT count(*) FROM vatstats.flights f WHERE first_seen < :m AND last_seen >= :m"
            " AND moved_at < :m"), {"m": DAY_3}).scalar()
    assert crossing > 5
    assert live["flights"][0] > 40 and live["atc_positions"][0] > 5 and live["flight_positions"][0] > 1000
    assert parked >= 0  # informative: connections standing still across a midnight


def test_rebuilding_each_day_gives_back_the_rows_live_ingestion_wrote(engine: sa.Engine, live: dict) -> None:
    for day in (DAY_1, DAY_2, DAY_3):
        result = rebuild(engine, day, day + DAY)
        assert result.snapshots > 0 and not result.resumed
        assert checksums(engine) == live, f"after rebuilding {day:%Y-%m-%d}"


def test_rebuilding_the_middle_day_of_three_changes_nothing_and_twice_neither(engine: sa.Engine, live: dict) -> None:
    first = rebuild(engine, DAY_2, DAY_2 + DAY)
    assert first.alive_at_start > 0 and first.held > 0  # connections cross both of its midnights
    assert checksums(engine) == live
    rebuild(engine, DAY_2, DAY_2 + DAY)
    assert checksums(engine) == live


def test_rebuilding_the_three_days_in_one_window_changes_nothing(engine: sa.Engine, live: dict) -> None:
    result = rebuild(engine, DAY_1, DAY_3 + DAY)
    assert (result.alive_at_start, result.held) == (0, 0)
    assert checksums(engine) == live


def test_worker_processes_preparing_the_pages_rebuild_the_same_rows(engine: sa.Engine, live: dict) -> None:
    """Pages prepared by two processes (as the Dagster asset runs it) come back in order: the
    middle day, whose connections cross both midnights, as live ingestion wrote it."""
    result = rebuild(engine, DAY_2, DAY_3, workers=2)
    assert result.snapshots > 0 and result.alive_at_start > 0 and result.held > 0
    assert checksums(engine) == live


def test_the_oldest_held_day_takes_its_start_state_from_the_track_history(engine: sa.Engine, live: dict) -> None:
    with engine.begin() as conn:
        drop_partitions_before(conn, "feed_snapshots", DAY_2.date())  # retention took the day before
    tables = checksums(engine)
    result = rebuild(engine, DAY_2, DAY_3)
    assert result.alive_at_start > 0
    assert checksums(engine) == tables


def test_a_day_without_raw_snapshots_is_refused_and_nothing_changes(engine: sa.Engine, live: dict) -> None:
    with pytest.raises(RebuildRefused, match=r"no raw snapshots are held for 2026-11-21"):
        rebuild(engine, DAY_3, DAY_3 + 2 * DAY)
    assert checksums(engine) == live


def test_an_interrupted_rebuild_resumes_where_it_stopped(
    engine: sa.Engine, live: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = 0
    rewrite_batch = tick_batch.rewrite_batch

    def failing_after_3(conn, batch):
        nonlocal written
        written += 1
        if written > 3:
            raise ConnectionError("the database went away")
        return rewrite_batch(conn, batch)

    monkeypatch.setattr("vatstats_assets.storage.rebuild.rewrite_batch", failing_after_3)
    with pytest.raises(ConnectionError):
        rebuild(engine, DAY_2, DAY_2 + DAY)
    with pytest.raises(RebuildRefused, match="unfinished rebuild of 2026-11-19..2026-11-20"):
        rebuild(engine, DAY_3, DAY_3 + DAY)
    monkeypatch.undo()
    result = rebuild(engine, DAY_2, DAY_2 + DAY)
    assert result.resumed and result.held > 0
    assert checksums(engine) == live


def test_a_day_whose_connections_may_still_be_online_is_refused_while_ingestion_is_live(
    engine: sa.Engine, live: dict
) -> None:
    with engine.connect() as conn:
        newest = conn.execute(sa.text("SELECT max(update_timestamp) FROM vatstats.feed_snapshots")).scalar_one()
    with pytest.raises(RebuildRefused, match="ingestion is live and .* connections seen in 2026-11-20"):
        rebuild(engine, DAY_3, DAY_3 + DAY, now=newest + timedelta(minutes=1))
    # The day before: its connections alive at the newest snapshot are still online too.
    with pytest.raises(RebuildRefused, match="ingestion is live"):
        rebuild(engine, DAY_2, DAY_2 + DAY, now=newest + timedelta(minutes=1))
    # Once ingestion has stopped, nothing can write those rows any more.
    assert rebuild(engine, DAY_3, DAY_3 + DAY, now=newest + timedelta(hours=1)).snapshots > 0
    assert checksums(engine) == live


def test_a_changed_setting_is_applied_to_the_rebuilt_day_and_a_second_rebuild_undoes_it(
    engine: sa.Engine, live: dict
) -> None:
    """The tick path decides the rows: here the region (an ingest fix would change them the same way)."""
    def flights_of_day_2() -> int:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM vatstats.flights WHERE first_seen >= :s AND"
                                        " last_seen < :e"), {"s": DAY_2, "e": DAY_3}).scalar_one()

    def regions_stored() -> set[str]:
        with engine.connect() as conn:
            return set(conn.execute(sa.text("SELECT DISTINCT region FROM vatstats.feed_snapshots WHERE"
                                            " update_timestamp >= :s AND update_timestamp < :e"),
                                    {"s": DAY_2, "e": DAY_3}).scalars())

    everywhere = flights_of_day_2()
    rebuild_window(engine, DAY_2, DAY_3, region_for=lambda _: region("vatpac"), store_names=True)
    assert 0 < flights_of_day_2() < everywhere
    assert regions_stored() == {"vatpac"}  # the snapshots now say which traffic the tables hold for them
    rebuild_window(engine, DAY_2, DAY_3, region_for=lambda _: region("global"), store_names=True)
    assert regions_stored() == {"global"}
    assert checksums(engine) == live


def test_a_stored_region_is_resolved_once_a_page_not_once_a_snapshot(engine: sa.Engine, live: dict) -> None:
    asked: list[str] = []

    def counted(name: str):
        asked.append(name)
        return region(name)

    with engine.connect() as conn:
        snapshots = conn.execute(sa.text("SELECT count(*) FROM vatstats.feed_snapshots WHERE update_timestamp >= :s"
                                         " AND update_timestamp < :e"), {"s": DAY_2, "e": DAY_3}).scalar_one()
    rebuild_window(engine, DAY_2, DAY_3, region_for=counted, store_names=True)
    pages = -(-snapshots // PAGE_SIZE)
    assert set(asked) == {"global"} and len(asked) <= pages + 1 < snapshots  # + the look-back before the day
    assert checksums(engine) == live


def test_names_are_left_out_of_the_rebuilt_rows_when_none_are_stored(engine: sa.Engine, live: dict) -> None:
    rebuild_window(engine, DAY_2, DAY_3, region_for=region, store_names=False)
    with engine.connect() as conn:
        rebuilt, before = conn.execute(sa.text(
            "SELECT count(*) FILTER (WHERE last_seen >= :s AND last_seen < :e AND name IS NOT NULL),"
            " count(*) FILTER (WHERE last_seen < :s AND name IS NOT NULL) FROM vatstats.flights"),
            {"s": DAY_2, "e": DAY_3}).one()
    # Rows decided by the day have none; the day before's keep theirs (as do rows decided after it).
    assert rebuilt == 0 and before > 0


def test_raw_retention_keeps_the_days_a_rebuild_under_way_reads(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        assert oldest_raw_day_needed(conn) is None
    with engine.connect() as rebuilding:  # a rebuild starting: its window is not known yet
        rebuilding.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": REBUILD_LOCK_KEY})
        with engine.begin() as conn:
            assert oldest_raw_day_needed(conn) == datetime.now(UTC).date()
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO vatstats.rebuild_progress (window_start, window_end) VALUES (:s, :e)"),
                         {"s": DAY_2, "e": DAY_3})
        with engine.begin() as conn:  # under way, or stopped and waiting to be resumed
            assert oldest_raw_day_needed(conn) == DAY_1.date()
        rebuilding.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": REBUILD_LOCK_KEY})
        rebuilding.commit()
    with engine.begin() as conn:
        assert oldest_raw_day_needed(conn) == DAY_1.date()


def parked_across_midnight() -> list[bytes]:
    """A parked aircraft whose altitude wanders up by 30 ft a snapshot before midnight (each step within
    the parked jitter, the sum not), then stands still past it."""
    bodies = []
    for seconds, altitude in ((-45, 100), (-30, 130), (-15, 160), (0, 160), (15, 160)):
        at = (DAY_2 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
        pilot = pilot_record(altitude=altitude, logon_time="2026-11-18T23:00:00Z", last_updated=at)
        general = {"version": 3, "reload": 1, "update": "0", "update_timestamp": at, "connected_clients": 1,
                   "unique_users": 1}
        bodies.append(orjson.dumps(feed(general=general, pilots=[pilot], controllers=[])))
    return bodies


def test_the_state_at_midnight_comes_from_the_raw_snapshot_before_it_and_the_track_history_is_the_fallback(
    engine: sa.Engine
) -> None:
    ingest_live(engine, parked_across_midnight())
    live = checksums(engine)
    assert live["flight_positions"][0] == 1  # only the first position: it never moved
    rebuild(engine, DAY_2, DAY_3)
    assert checksums(engine) == live
    with engine.begin() as conn:
        drop_partitions_before(conn, "feed_snapshots", DAY_2.date())
    rebuild(engine, DAY_2, DAY_3)
    # The documented limit: from its last track row (100 ft) the first snapshot after midnight (160 ft)
    # looks moved, so the rebuilt day holds one position live ingestion did not store.
    assert checksums(engine)["flight_positions"][0] == 2


def test_a_connection_online_across_both_midnights_of_the_day_gets_its_live_row_back(engine: sa.Engine) -> None:
    """Online from the evening before to the morning after (a long-haul flight, a controller): reset to
    its state at the day's start, replayed through the day, then given back what the next day decided."""
    moments = [DAY_2 - timedelta(seconds=15), DAY_2, DAY_2 + timedelta(hours=6), DAY_2 + timedelta(hours=12),
               DAY_3 - timedelta(seconds=15), DAY_3, DAY_3 + timedelta(seconds=15)]
    # (latitude, altitude): climbing, cruising, level and still at the midnight after, then descending
    where = [(-33.9, 5000), (-33.8, 9000), (-20.0, 38000), (0.5, 38000), (10.0, 36000), (10.0, 36000), (10.1, 30000)]
    bodies = []
    for at, (latitude, altitude) in zip(moments, where, strict=True):
        stamp = at.strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
        pilot = pilot_record(latitude=latitude, altitude=altitude, groundspeed=480,
                             logon_time="2026-11-18T22:00:00Z", last_updated=stamp)
        centre = controller_record("ML-ARL_CTR", frequency="124.650" if at < DAY_3 else "118.200",
                                   logon_time="2026-11-18T20:00:00Z", last_updated=stamp)
        general = {"version": 3, "reload": 1, "update": "0", "update_timestamp": stamp, "connected_clients": 2,
                   "unique_users": 2}
        bodies.append(orjson.dumps(feed(general=general, pilots=[pilot], controllers=[centre])))
    ingest_live(engine, bodies)
    live = checksums(engine)
    result = rebuild(engine, DAY_2, DAY_3)
    assert (result.alive_at_start, result.held) == (2, 2)
    assert checksums(engine) == live
    rebuild(engine, DAY_2, DAY_3)
    assert checksums(engine) == live


@pytest.mark.parametrize(("stored_body", "workers"), [("cut short", 0), ("another snapshot's", 0), ("cut short", 2)])
def test_a_stored_snapshot_that_no_longer_parses_is_skipped_and_the_rest_are_rebuilt_around_it(
    engine: sa.Engine, bodies: list[bytes], stored_body: str, workers: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Its neighbours are written as if it had never been ingested: the batch it would have been in
    ends before it and the next begins after it. A row holding the body of another snapshot (of the
    day before: its rows would land outside the window) is skipped the same way. Worker processes
    preparing the pages end the batch there too."""
    day_2 = [body for body in bodies if DAY_2 <= parse_snapshot(body).update_timestamp < DAY_3]
    broken = parse_snapshot(day_2[10]).update_timestamp  # inside the day's first batch
    ingest_live(engine, [body for body in bodies if body is not day_2[10]])
    without_it = checksums(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE vatstats.feed_snapshots, vatstats.flights, vatstats.atc_positions,"
                             " vatstats.flight_positions, vatstats.transceiver_tunings")
    ingest_live(engine, bodies)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE vatstats.feed_snapshots SET body = :body WHERE update_timestamp = :at"),
                     {"body": compress_raw(b'{"general": "cut short' if stored_body == "cut short" else bodies[0],
                                           store_names=True), "at": broken})
    with caplog.at_level(logging.WARNING, logger="vatstats_assets.storage.rebuild"):
        result = rebuild(engine, DAY_2, DAY_3, workers=workers)
    assert (result.skipped, result.snapshots) == (1, len(day_2) - 1)
    because = "no longer parses" if stored_body == "cut short" else "holds the body of the snapshot of"
    [logged] = [r.getMessage() for r in caplog.records if r.getMessage().endswith("; skipped")]
    assert logged.startswith(f"the stored snapshot {broken} ") and because in logged  # by this process, workers or not
    rebuilt = checksums(engine)
    for table in ("flights", "atc_positions", "flight_positions"):
        assert rebuilt[table] == without_it[table], table
    rebuild(engine, DAY_2, DAY_3)
    assert checksums(engine) == rebuilt


def test_days_ingested_from_real_snapshots_of_every_era_are_rebuilt_as_they_were(engine: sa.Engine) -> None:
    """The recorded snapshots (2021 to 2024, three schemas of the feed), each alone on its day."""
    real = [load_fixture_bytes(day) for day in FEED_FIXTURE_DATES]
    ingest_live(engine, real)
    live = checksums(engine)
    assert live["flights"][0] > 500
    for body in real:
        moment = parse_snapshot(body).update_timestamp
        day = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
        result = rebuild(engine, day, day + DAY)
        assert (result.snapshots, result.skipped) == (1, 0)
        assert checksums(engine) == live, f"after rebuilding {day:%Y-%m-%d}"


def test_a_day_replayed_from_a_gzip_archive_is_rebuilt_as_it_was_with_its_files_kept(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    """A replayed gzip archive's rows keep the files' own bytes (body_encoding gzip): the rebuild
    neither compresses them again nor changes them."""
    write_snapshot_files(tmp_path)
    assert replay_folder(tmp_path, database_url) == 0
    replayed = checksums(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT array_agg(DISTINCT body_encoding) FROM vatstats.feed_snapshots")).scalar() == ["gzip"]
    day = datetime.combine(SIMULATED_START.date(), datetime.min.time(), UTC)
    result = rebuild(engine, day, day + DAY)
    assert (result.snapshots, result.skipped) == (replayed["feed_snapshots"][0], 0)
    assert checksums(engine) == replayed
