"""The ingest multi-asset through Dagster, against a real PostgreSQL and a real local HTTP feed."""

import dagster as dg
import orjson
import pytest
import sqlalchemy as sa

from vatstats_assets.core.feed import parse_snapshot
from vatstats_tests.fixtures import load_fixture_bytes
from vatstats_tests.reliability.ingest_runs import ingest_resources, run_ingest
from vatstats_tests.support.feed_server import FixtureFeedServer


@pytest.fixture
def feed_server():
    with FixtureFeedServer() as server:
        yield server


def ingest(database_url: str, feed_url: str) -> dg.ExecuteInProcessResult:
    return run_ingest(ingest_resources(database_url, feed_url, timeout_s=5)).result


def count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM vatstats.{table}")).scalar()


def test_a_new_snapshot_materialises_all_five_ingest_assets(engine, database_url, feed_server) -> None:
    feed_server.body = load_fixture_bytes("2024-02-20")
    snapshot = parse_snapshot(feed_server.body)
    result = ingest(database_url, feed_server.status_url)
    assert result.success
    materialized = {
        e.event_specific_data.materialization.asset_key.to_user_string()
        for e in result.get_asset_materialization_events()
    }
    assert materialized == {"raw_feed_snapshot", "flights", "atc_positions", "flight_positions", "transceiver_tunings"}
    assert count(engine, "flights") == len(snapshot.pilots)
    assert count(engine, "atc_positions") == len(snapshot.controllers) + len(snapshot.atis)


def test_materialisations_carry_the_figures_the_ui_plots(engine, database_url, feed_server) -> None:
    feed_server.body = load_fixture_bytes("2024-02-20")
    result = ingest(database_url, feed_server.status_url)
    by_asset = {
        e.event_specific_data.materialization.asset_key.to_user_string(): e.event_specific_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    flights = by_asset["flights"]
    assert flights["pilots_online"].value == 702
    assert flights["rows_inserted"].value == 702
    assert flights["write_ms"].value > 0
    raw = by_asset["raw_feed_snapshot"]
    assert 0 < raw["compressed_bytes"].value < raw["raw_bytes"].value


def test_a_snapshot_already_stored_is_not_processed_again(engine, database_url, feed_server) -> None:
    feed_server.body = load_fixture_bytes("2024-02-20")
    assert ingest(database_url, feed_server.status_url).success
    again = ingest(database_url, feed_server.status_url)
    assert again.success
    assert again.get_asset_materialization_events() == []
    assert count(engine, "feed_snapshots") == 1


def test_an_older_snapshot_than_the_newest_stored_is_skipped(engine, database_url, feed_server) -> None:
    feed_server.body = load_fixture_bytes("2024-02-20")
    ingest(database_url, feed_server.status_url)
    feed_server.body = load_fixture_bytes("2021-07-20")
    older = ingest(database_url, feed_server.status_url)
    assert older.success and older.get_asset_materialization_events() == []
    assert count(engine, "feed_snapshots") == 1


def test_a_feed_error_fails_the_run_after_retries_and_writes_nothing(engine, database_url, feed_server) -> None:
    feed_server.status = 500
    feed_server.body = b"oops"
    result = ingest(database_url, feed_server.status_url)
    assert not result.success
    assert feed_server.requests == 4  # the first attempt and three retries
    failure = result.get_step_failure_events()[-1]
    description = failure.step_failure_data.user_failure_data.description
    assert "could not be ingested" in description and "HTTP 500" in description
    assert count(engine, "feed_snapshots") == 0 and count(engine, "flights") == 0


def test_the_transceivers_fetched_with_the_snapshot_are_stored_as_runs_in_its_transaction(
    engine, database_url, feed_server
) -> None:
    feed_server.body = load_fixture_bytes("2024-02-20")
    snapshot = parse_snapshot(feed_server.body)
    pilot, controller = snapshot.pilots[0], snapshot.controllers[0]
    feed_server.transceivers_body = orjson.dumps([
        {"callsign": pilot.callsign, "transceivers": [{"frequency": 124_500_000, "latDeg": -33.9, "lonDeg": 151.2}]},
        {"callsign": controller.callsign, "transceivers": [{"frequency": 120_500_000, "latDeg": -33.9, "lonDeg": 151.2}]},
        {"callsign": "NOT_CONNECTED", "transceivers": []},
    ])
    result = ingest(database_url, feed_server.status_url)
    assert result.success
    with engine.connect() as conn:
        tunings = conn.execute(sa.text(
            "SELECT callsign, is_pilot, frequency_hz FROM vatstats.transceiver_tunings ORDER BY is_pilot")).all()
        stored = conn.execute(sa.text(
            "SELECT transceivers_entries, transceivers_skipped, transceivers_missing FROM vatstats.feed_snapshots")).one()
    assert [tuple(t) for t in tunings] == [(controller.callsign, False, 120_500_000), (pilot.callsign, True, 124_500_000)]
    assert tuple(stored) == (2, 1, None)


def test_a_snapshot_whose_transceivers_feed_fails_is_stored_saying_why(engine, database_url, feed_server) -> None:
    feed_server.body = load_fixture_bytes("2024-02-20")
    feed_server.transceivers_body = None  # answered 404
    result = ingest(database_url, feed_server.status_url)
    assert result.success
    assert count(engine, "flights") == 702
    with engine.connect() as conn:
        missing = conn.execute(sa.text("SELECT transceivers_missing FROM vatstats.feed_snapshots")).scalar()
    assert missing == f"the transceivers feed could not be fetched: {feed_server.transceivers_url} answered HTTP 404 Not Found"
    assert count(engine, "transceiver_tunings") == 0
