"""Ingestion with a boundary region (VATSTATS_REGION=YMMM,YBBB and VATSTATS_AIRSPACE_DIR): through the
Dagster ingest asset on a real recorded snapshot, and through `vatstats replay --region`."""

from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa
from shapely.geometry import Point

from vatstats_assets.commands import replay
from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.airspace import load_airspace
from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_tests.fixtures import load_fixture_bytes
from vatstats_tests.reliability.ingest_runs import ingest_resources, run_ingest
from vatstats_tests.reliability.snapshot_files import write_snapshot_files
from vatstats_tests.support.feed_server import FixtureFeedServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "airspace"
REGION = "YMMM,YBBB"


def expected_pilots(body: bytes) -> set[str]:
    """The callsigns the region should keep, worked out the slow, obvious way."""
    airspace = load_airspace(FIXTURES)
    footprint = [airspace.boundaries["YMMM"], airspace.boundaries["YBBB"]]
    airports = {a.icao for a in AirportIndex.from_airportsdata()
                if any(f.intersects(Point(a.longitude, a.latitude)) for f in footprint)}
    kept = set()
    for pilot in parse_snapshot(body).pilots:
        plan = pilot.flight_plan
        filed = {plan.departure, plan.arrival} if plan else set()
        if any(f.intersects(Point(pilot.longitude, pilot.latitude)) for f in footprint) or filed & airports:
            kept.add(pilot.callsign)
    return kept


def test_the_ingest_asset_stores_exactly_the_traffic_of_a_boundary_region(engine, database_url) -> None:
    body = load_fixture_bytes("2024-02-20")
    with FixtureFeedServer() as feed:
        feed.body = body
        resources = ingest_resources(database_url, feed.status_url)
        warehouse = WarehouseResource(database_url=database_url, region=REGION, airspace_dir=str(FIXTURES))
        resources["warehouse"] = warehouse
        run = run_ingest(resources)
    assert run.success
    with engine.connect() as conn:
        stored = set(conn.execute(sa.text("SELECT callsign FROM vatstats.flights")).scalars())
        region = conn.execute(sa.text("SELECT region FROM vatstats.feed_snapshots")).scalar_one()
        controllers = set(conn.execute(sa.text("SELECT callsign FROM vatstats.atc_positions")).scalars())
    expected = expected_pilots(body)
    assert stored == expected and 0 < len(expected) < len(parse_snapshot(body).pilots)
    assert region == REGION
    # No Australian position was online in this recording: none of the world's controllers is kept.
    assert controllers == set() and parse_snapshot(body).controllers


def test_a_boundary_region_that_cannot_be_built_fails_the_run_in_one_sentence(engine, database_url) -> None:
    with FixtureFeedServer() as feed:
        feed.body = load_fixture_bytes("2024-02-20")
        resources = ingest_resources(database_url, feed.status_url)
        resources["warehouse"] = WarehouseResource(database_url=database_url, region=REGION)
        run = run_ingest(resources)
    assert not run.success
    assert any("VATSTATS_AIRSPACE_DIR is not set" in m for m in run.messages if m)
    assert not isinstance(run.result, dg.ExecuteInProcessResult) or run.result.dagster_run.is_failure


def test_replay_with_a_boundary_region_stores_its_name(
    tmp_path: Path, database_url: str, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_snapshot_files(tmp_path)
    monkeypatch.setenv("VATSTATS_DATABASE_URL", database_url)
    monkeypatch.setenv("VATSTATS_AIRSPACE_DIR", str(FIXTURES))
    assert replay.main([str(tmp_path), "--region", "ymmm,ybbb", "--quiet"]) == 0
    with engine.connect() as conn:
        regions = set(conn.execute(sa.text("SELECT region FROM vatstats.feed_snapshots")).scalars())
        # Flights never inside the FIRs (their boxes: 129-160 E, 10-45 S, and Norfolk Island's) must be
        # filed to or from an airport inside them, all Australian (Y...).
        strays = conn.execute(sa.text(
            "SELECT count(*) FROM vatstats.flights f WHERE coalesce(f.departure, '') NOT LIKE 'Y%'"
            " AND coalesce(f.arrival, '') NOT LIKE 'Y%' AND NOT EXISTS (SELECT 1 FROM vatstats.flight_positions p"
            " WHERE (p.cid, p.callsign, p.logon_time) = (f.cid, f.callsign, f.logon_time)"
            " AND p.latitude BETWEEN -45 AND -10 AND p.longitude BETWEEN 129 AND 168.1)"
        )).scalar_one()
        flights = conn.execute(sa.text("SELECT count(*) FROM vatstats.flights")).scalar_one()
        stations = {c.split("_")[0] for c in conn.execute(sa.text("SELECT callsign FROM vatstats.atc_positions")).scalars()}
    assert regions == {REGION} and flights > 0 and strays == 0
    assert stations and all(s.startswith("Y") or s in ("ML-ARL", "ML-ELW", "SY") for s in stations), stations


def test_replay_names_an_unknown_boundary_in_one_sentence(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_snapshot_files(tmp_path)
    monkeypatch.setenv("VATSTATS_DATABASE_URL", database_url)
    monkeypatch.setenv("VATSTATS_AIRSPACE_DIR", str(FIXTURES))
    assert replay.main([str(tmp_path), "--region", "EGTT", "--quiet"]) != 0
    assert "--region names EGTT" in capsys.readouterr().err
