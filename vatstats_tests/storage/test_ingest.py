"""Ingesting real snapshots through the shared tick path, against a real PostgreSQL."""

import gzip
from datetime import UTC, datetime

import orjson
import pytest
import sqlalchemy as sa

from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.region import region
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.sim.simulation import generate_snapshots
from vatstats_assets.storage.ingest import INGEST_WRITES, WRITERS, ensure_tick_partitions, prepare_tick, write_tick
from vatstats_assets.storage.migrations import migrate
from vatstats_tests.fixtures import FEED_FIXTURE_DATES, load_fixture_bytes

FETCHED_AT = datetime(2026, 11, 28, tzinfo=UTC)
SIM_START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # three ticks inside one hour


def ingest(engine: sa.Engine, body: bytes, region_name: str = "global") -> dict:
    snapshot = parse_snapshot(body)
    ensure_tick_partitions(engine, snapshot.update_timestamp.date())
    tick = prepare_tick(snapshot, body, source="fixture", fetched_at=FETCHED_AT,
                        region=region(region_name), store_names=True)
    return write_tick(engine, tick)


def table_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(sa.text(f"SELECT count(*) FROM vatstats.{table}")).scalar()
            for table in ("feed_snapshots", "flights", "atc_positions", "flight_positions")
        }


@pytest.mark.parametrize("day", FEED_FIXTURE_DATES)
def test_global_ingest_stores_every_connection_of_a_real_snapshot(engine: sa.Engine, day: str) -> None:
    body = load_fixture_bytes(day)
    snapshot = parse_snapshot(body)
    ingest(engine, body)
    counts = table_counts(engine)
    assert counts["feed_snapshots"] == 1
    assert counts["flights"] == len(snapshot.pilots)
    assert counts["flight_positions"] == len(snapshot.pilots)
    assert counts["atc_positions"] == len(snapshot.controllers) + len(snapshot.atis)


@pytest.mark.parametrize("day", FEED_FIXTURE_DATES)
def test_ingesting_the_same_snapshot_again_changes_nothing(engine: sa.Engine, day: str) -> None:
    body = load_fixture_bytes(day)
    ingest(engine, body)
    with engine.connect() as conn:
        before = conn.execute(sa.text("SELECT md5(string_agg(f::text, '|' ORDER BY cid, callsign)) FROM vatstats.flights f")).scalar()
    snapshot = parse_snapshot(body)
    tick = prepare_tick(snapshot, body, source="fixture", fetched_at=FETCHED_AT,
                        region=region("global"), store_names=True)
    counts = write_tick(engine, tick)
    assert counts["flights"].written == 0 and counts["atc_positions"].written == 0
    assert counts["flight_positions"].unchanged == len(snapshot.pilots)  # no track row repeated
    with engine.connect() as conn:
        after = conn.execute(sa.text("SELECT md5(string_agg(f::text, '|' ORDER BY cid, callsign)) FROM vatstats.flights f")).scalar()
    assert after == before
    assert table_counts(engine)["flight_positions"] == len(snapshot.pilots)


def test_a_later_snapshot_written_again_rewrites_no_row(engine: sa.Engine) -> None:
    """Ticks A, B, then B again: B's rows match what is stored, first seen and moved_at included,
    so nothing gets a new row version and every row counts as unchanged."""
    first, second = (orjson.dumps(document) for _, document in generate_snapshots(SIM_START, 30 / 3600, 300, 7))
    ingest(engine, first)
    ingest(engine, second)
    counts = ingest(engine, second)
    assert counts["flights"].written == 0 and counts["flights"].unchanged == len(parse_snapshot(second).pilots)
    assert counts["atc_positions"].written == 0
    assert counts["flight_positions"].inserted == 0


def test_vatpac_region_keeps_only_australian_and_pacific_traffic(engine: sa.Engine) -> None:
    ingest(engine, load_fixture_bytes("2021-07-20"), region_name="vatpac")
    with engine.connect() as conn:
        controllers = set(conn.execute(sa.text("SELECT callsign FROM vatstats.atc_positions")).scalars())
        outside = conn.execute(sa.text(
            "SELECT count(*) FROM vatstats.flights WHERE NOT (latitude BETWEEN -60 AND 2 AND (longitude >= 100 OR longitude <= -135))"
            " AND coalesce(departure, '') !~ '^(Y|NZ|NF|NV|NW|NS|NC|NT|NI|NG|AY|AG|AN)'"
            " AND coalesce(arrival, '') !~ '^(Y|NZ|NF|NV|NW|NS|NC|NT|NI|NG|AY|AG|AN)'"
        )).scalar()
        flights = conn.execute(sa.text("SELECT count(*) FROM vatstats.flights")).scalar()
    assert {"ML-SNO_CTR", "ML_APP"} <= controllers
    assert all(not c.startswith(("EG", "K", "ED", "LF")) for c in controllers)
    assert outside == 0
    assert 0 < flights < len(parse_snapshot(load_fixture_bytes("2021-07-20")).pilots)


def test_names_are_not_stored_when_the_setting_says_so(engine: sa.Engine) -> None:
    body = load_fixture_bytes("2024-02-20")
    snapshot = parse_snapshot(body)
    ensure_tick_partitions(engine, snapshot.update_timestamp.date())
    write_tick(engine, prepare_tick(snapshot, body, source="fixture", fetched_at=FETCHED_AT,
                                    region=region("global"), store_names=False))
    with engine.connect() as conn:
        named = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM vatstats.flights WHERE name IS NOT NULL)"
            " + (SELECT count(*) FROM vatstats.atc_positions WHERE name IS NOT NULL)")).scalar()
    assert named == 0


@pytest.fixture
def own_database(unmigrated_engine: sa.Engine) -> sa.Engine:
    """A migrated database of this test's own: page pruning waits for every open snapshot in the
    database, and the session's shared one has other tests' (and their servers') connections."""
    migrate(unmigrated_engine)
    return unmigrated_engine


def test_flight_updates_settle_to_heap_only_within_ten_ticks(own_database: sa.Engine) -> None:
    """Every tick rewrites each online flight: no index may hold a column every tick changes
    (migration 005), so once the first versions are pruned, the updates write no index entries."""
    engine = own_database
    documents = generate_snapshots(SIM_START, 10 * 15 / 3600, 300, 7)  # ten ticks in one hour
    bodies = [orjson.dumps(document) for _, document in documents]
    for body in bodies[:-1]:
        ingest(engine, body)
    snapshot = parse_snapshot(bodies[-1])
    tick = prepare_tick(snapshot, bodies[-1], source="sim", fetched_at=FETCHED_AT, region=region("global"),
                        store_names=True)
    statistics = sa.text("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
                         " WHERE schemaname = 'vatstats' AND relname = 'flights'")
    with engine.begin() as conn:  # this connection's own counters, before and after the tick's writes
        updated_before, heap_only_before = conn.execute(statistics).one()
        for asset_name, (mode, spec) in INGEST_WRITES.items():
            WRITERS[mode](conn, spec, tick.tables[asset_name])
        updated_after, heap_only_after = conn.execute(statistics).one()
    updated, heap_only = updated_after - updated_before, heap_only_after - heap_only_before
    assert updated > 250
    # An index on a column every tick changes makes every update non-HOT: exactly 0. How many of the
    # rest are HOT depends on pruning, which the server skips on a page another backend has pinned
    # (autovacuum, other work): 100 % alone, 28-94 % seen in full CI runs beside other test runs.
    assert heap_only > 0


@pytest.mark.parametrize("transceivers", [None, TransceiversFeed.received(b"[]")], ids=["no body", "transceivers not gzip"])
def test_a_tick_stored_as_gzip_is_refused_unless_both_bodies_come_as_gzip(transceivers: TransceiversFeed | None) -> None:
    body = load_fixture_bytes("2024-02-20")
    snapshot = parse_snapshot(body)
    compressed = None if transceivers is None else gzip.compress(body)
    with pytest.raises(ValueError, match="stored as gzip needs both its bodies given as gzip"):
        prepare_tick(snapshot, body, source="fixture", fetched_at=FETCHED_AT, region=region("global"),
                     store_names=True, compressed=compressed, transceivers=transceivers, encoding="gzip")
