"""The airspace domain through Dagster: the sector files into tables, a day's sector occupancy and
hourly load from stored tracks, their checks, and a fresh deployment without sector files."""

from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
import sqlalchemy as sa

from vatstats_assets.definitions import build_definitions
from vatstats_assets.defs.airspace.assets import AirspaceFilesResource
from vatstats_assets.settings import Settings
from vatstats_assets.storage import bulk
from vatstats_assets.storage.tables import ATC_POSITIONS
from vatstats_tests.core.tracks import airline_flight, utc
from vatstats_tests.defs.test_movements_asset import store_connection
from vatstats_tests.support.definitions import run_resources

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "airspace"
WITH_AIRSPACE = build_definitions(Settings.from_env({"VATSTATS_AIRSPACE_DIR": str(FIXTURES)}))


def assets(*names: str) -> list[dg.AssetsDefinition]:
    keys = {dg.AssetKey(n) for n in names}
    return [a for a in WITH_AIRSPACE.assets or [] if isinstance(a, dg.AssetsDefinition) and keys & set(a.keys)]


def resources(database_url: str, folder: Path = FIXTURES) -> dict:
    return {**run_resources(database_url), "airspace_files": AirspaceFilesResource(folder=str(folder))}


def checks(asset_name: str) -> list[dg.AssetChecksDefinition]:
    key = dg.AssetKey(asset_name)
    return [c for c in WITH_AIRSPACE.asset_checks or [] if any(k.asset_key == key for k in c.check_keys)]


def store_controller(engine: sa.Engine, callsign: str, frequency_khz: int, start: str, end: str) -> None:
    row = {c: None for c in ATC_POSITIONS.columns} | {
        "callsign": callsign, "cid": 900001, "logon_time": utc(start), "frequency_khz": frequency_khz,
        "facility": 6, "rating": 5, "is_atis": False, "last_updated": utc(end), "first_seen": utc(start),
        "last_seen": utc(end),
    }
    with engine.begin() as conn:
        bulk.upsert(conn, ATC_POSITIONS, pd.DataFrame([row], dtype=object))


def test_a_fresh_deployment_without_sector_files_has_no_airspace_assets() -> None:
    plain = build_definitions(Settings.from_env({}))
    names = {k.to_user_string() for a in plain.assets or [] if isinstance(a, dg.AssetsDefinition) for k in a.keys}
    assert not names & {"airspace_volumes", "airspace_sectors", "sector_occupancy", "sector_hourly_load"}


def test_the_airspace_asset_stores_the_files_with_their_hash_as_data_version(engine, database_url) -> None:
    result = dg.materialize(assets("airspace_volumes"), resources=resources(database_url))
    assert result.success
    with engine.connect() as conn:
        arl = conn.execute(sa.text("SELECT callsign, frequency, volumes, responsible_sectors, airspace_version"
                                   " FROM vatstats.airspace_sectors WHERE name = 'ARL'")).one()
        band = conn.execute(sa.text("SELECT lower_ft, upper_ft FROM vatstats.airspace_volumes"
                                    " WHERE name = 'ARL_OVER_SY'")).one()
    assert tuple(arl[:4]) == ("ML-ARL_CTR", "124.650", ["ARL", "ARL_OVER_SY"], ["SY_APP"])
    assert tuple(band) == (12500, 60000)
    event = result.get_asset_materialization_events()[0].event_specific_data.materialization
    assert event.tags["dagster/data_version"] == arl.airspace_version


def test_bad_sector_files_fail_the_run_with_the_files_sentence(engine, database_url, tmp_path: Path) -> None:
    (tmp_path / "fir.geojson").write_text('{"type": "FeatureCollection", "features": [\n{"type": "Feature"}]}')
    result = dg.materialize(assets("airspace_volumes"), resources=resources(database_url, tmp_path),
                            raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "fir.geojson line 2: feature 1 has no id" in str(failure.step_failure_data.error.message)


@pytest.fixture
def sydney_to_melbourne(engine, database_url):
    dg.materialize(assets("airspace_volumes"), resources=resources(database_url))
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    store_connection(engine, flight.connection(filed=("YSSY", "YMML")))
    store_controller(engine, "ML-ELW_CTR", 123750, "2026-11-20 05:00:00", "2026-11-20 06:30:00")
    return flight


def test_a_day_of_occupancy_follows_a_flight_through_its_sectors(engine, database_url, sydney_to_melbourne) -> None:
    result = dg.materialize(assets("sector_occupancy") + checks("sector_occupancy"), partition_key="2026-11-20",
                            resources=resources(database_url), selection=["sector_occupancy"])
    assert result.success
    with engine.connect() as conn:
        stays = conn.execute(sa.text("SELECT sector, entry, exit FROM vatstats.sector_occupancy"
                                     " WHERE sector IN ('SY_APP', 'ARL', 'ELW') ORDER BY entered_at")).all()
    assert [tuple(s) for s in stays] == [
        ("SY_APP", "takeoff", "boundary"), ("ARL", "boundary", "boundary"), ("ELW", "boundary", "landing")]
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations)


def test_hourly_load_counts_the_flight_and_the_staffed_time(engine, database_url, sydney_to_melbourne) -> None:
    for name in ("sector_occupancy", "sector_hourly_load"):
        assert dg.materialize(assets(name), partition_key="2026-11-20", resources=resources(database_url)).success
    with engine.connect() as conn:
        rows = {(r.sector, r.hour): r for r in conn.execute(sa.text("SELECT * FROM vatstats.sector_hourly_load"))}
    elw = [r for (sector, _), r in rows.items() if sector == "ELW" and r.aircraft]
    assert sum(r.aircraft_minutes for r in elw) > 10
    # ML-ELW_CTR went offline at 06:30, before the flight reached ELW: responsible for SY_APP at take-off.
    assert rows[("SY_APP", 5)].staffed_minutes == 60 and rows[("SY_APP", 6)].staffed_minutes == 30
    assert rows[("SY_APP", 6)].aircraft == 1


def test_rematerialising_a_day_of_occupancy_gives_identical_rows(engine, database_url, sydney_to_melbourne) -> None:
    def stored() -> list[tuple]:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text("SELECT * FROM vatstats.sector_occupancy ORDER BY 1, 5"))]

    dg.materialize(assets("sector_occupancy"), partition_key="2026-11-20", resources=resources(database_url))
    first = stored()
    dg.materialize(assets("sector_occupancy"), partition_key="2026-11-20", resources=resources(database_url))
    assert stored() == first and first


def test_the_definitions_with_sector_files_load_and_automate_the_daily_assets() -> None:
    dg.Definitions.validate_loadable(WITH_AIRSPACE)
    sensor = next(s for s in WITH_AIRSPACE.sensors or [] if s.name == "vatstats_automation")
    targeted = sensor.asset_selection.resolve(WITH_AIRSPACE.resolve_asset_graph())  # type: ignore[union-attr]
    assert {dg.AssetKey("sector_occupancy"), dg.AssetKey("sector_hourly_load")} <= targeted


def test_a_stay_outside_its_connection_fails_the_check_and_is_counted(engine, database_url, sydney_to_melbourne) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO vatstats.sector_occupancy VALUES ('ELW', 1, 'GHOST1', '2026-11-20 01:00+00',"
            " '2026-11-20 01:10+00', '2026-11-20 01:20+00', 'boundary', 'boundary', 'test')"))
    [stays_check] = [c for c in checks("sector_occupancy")
                     if any(k.name == "stays_inside_connections" for k in c.check_keys)]
    # Invoked directly, without a partition: the check looks at every day partitioned so far.
    context = dg.build_asset_check_context(resources={"warehouse": resources(database_url)["warehouse"]})
    result = stays_check(context)
    assert not result.passed
    assert result.metadata["stays_outside"].value == 1
    assert result.description.startswith("1 stays outside their connection in [")
