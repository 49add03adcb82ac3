"""atc_contacts through Dagster, on a simulated feed replayed into PostgreSQL and scored against the
simulator's truth, and on hand-made snapshots for the cases the rules name."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from bench.score_contacts import stored_contacts, true_contacts, truth_window
from vatstats_assets.core.contact_scoring import score_contacts
from vatstats_assets.sim import GroundTruth, write_offline
from vatstats_assets.sim.offline import TRUTH_FILE_NAME
from vatstats_tests.reliability.snapshot_files import replay_folder
from vatstats_tests.support.definitions import asset, asset_check, run_resources
from vatstats_tests.support.tuning_feeds import SYDNEY, controller, data_body, pilot, radio, tx_body

SIMULATED_START = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # over midnight: both days' partitions


def materialize(database_url: str, day: str) -> dg.ExecuteInProcessResult:
    return dg.materialize([asset("atc_contacts"), asset_check("atc_contacts", "contacts_within_connections")],
                          partition_key=day, resources=run_resources(database_url))


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("simulated")
    write_offline(folder, hours=1.0, pilots=150, seed=11, start=SIMULATED_START, controllers=40)
    return folder


def test_contacts_of_a_simulated_hour_over_midnight_match_the_truth(
    simulated: Path, database_url: str, engine: sa.Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE vatstats.atc_contacts"))
    assert replay_folder(simulated, database_url) == 0
    for day in ("2026-11-20", "2026-11-21"):
        result = materialize(database_url, day)
        assert result.success and all(c.passed for c in result.get_asset_check_evaluations())
    truth = GroundTruth.load(simulated / TRUTH_FILE_NAME)
    start, end = truth_window(truth)
    stored = stored_contacts(database_url, start, end)
    score = score_contacts(true_contacts(truth), stored, scored_from=start, scored_to=end)
    assert score.true > 50
    assert score.precision >= 0.99 and score.recall >= 0.99
    assert score.within_tolerance >= 0.99, score
    midnight = datetime(2026, 11, 21, tzinfo=UTC)
    assert all(c.ended_at <= midnight or c.started_at >= midnight for c in stored)
    assert any(c.ended_at == midnight for c in stored) and any(c.started_at == midnight for c in stored)


def test_same_channel_is_a_contact_in_range_on_8_33_khz_names_never_on_unicom_nor_with_an_atis(
    tmp_path: Path, database_url: str, engine: sa.Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE vatstats.atc_contacts"))
    start = datetime(2026, 11, 22, 6, tzinfo=UTC)
    logon = "2026-11-22T05:00:00Z"
    here = {"latitude": SYDNEY[0], "longitude": SYDNEY[1]}
    near = pilot("QFA1", 1001, logon) | here
    far = pilot("QFA2", 1002, logon) | {"latitude": -37.67, "longitude": 144.84}  # Melbourne: 380 nm away
    unicom = pilot("QFA3", 1003, logon) | here
    named = pilot("QFA4", 1004, logon) | here
    tower = controller("SY_TWR", 2001, logon) | {"visual_range": 50}
    approach = controller("SY_APP", 2003, logon) | {"facility": 5, "frequency": "132.010"}
    atis = controller("SY_ATIS", 2002, logon) | {"facility": 4}
    for tick in range(8):  # two minutes
        at = start + timedelta(seconds=15 * tick)
        stem = at.strftime("%Y%m%dT%H%M%S")
        body = data_body(at, [near, far, unicom, named], [tower, approach], atis=[atis])
        (tmp_path / f"{stem}.json.gz").write_bytes(gzip.compress(body))
        radios = tx_body(QFA1=[radio(120_500_000)], QFA2=[radio(120_500_000)], QFA3=[radio(122_800_000)],
                         QFA4=[radio(132_010_000)],  # the 8.33 kHz channel's name, 132.010
                         SY_TWR=[radio(120_500_000), radio(122_800_000)], SY_APP=[radio(132_008_333)],
                         SY_ATIS=[radio(120_500_000)])
        (tmp_path / f"{stem}.transceivers.json.gz").write_bytes(gzip.compress(radios))
    assert replay_folder(tmp_path, database_url) == 0
    assert materialize(database_url, "2026-11-22").success
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT pilot_callsign, atc_callsign, facility, channel_hz, started_at, ended_at"
                                    " FROM vatstats.atc_contacts ORDER BY pilot_callsign")).all()
    first, last = start - timedelta(seconds=7.5), start + timedelta(seconds=105 + 7.5)
    assert [tuple(r) for r in rows] == [("QFA1", "SY_TWR", 4, 120_500_000, first, last),
                                        ("QFA4", "SY_APP", 5, 132_008_333, first, last)]


def test_the_summaries_coverage_agrees_with_the_contacts_flight_side_and_controller_side(
    simulated: Path, database_url: str, engine: sa.Engine
) -> None:
    assert replay_folder(simulated, database_url) == 0
    day = "2026-11-21"
    names = ("atc_contacts", "traffic_movements", "flight_summaries", "controller_summaries", "coverage_hourly")
    checks = [asset_check(n, "coverage_within_time") for n in ("flight_summaries", "controller_summaries")]
    checks.append(asset_check("coverage_hourly", "coverage_within_traffic"))
    result = dg.materialize([asset(n) for n in names] + checks, partition_key=day, resources=run_resources(database_url))
    assert result.success and all(c.passed for c in result.get_asset_check_evaluations())
    with engine.connect() as conn:
        controllers = conn.execute(sa.text(
            "SELECT s.callsign, s.aircraft_handled, count(DISTINCT (c.pilot_cid, c.pilot_callsign, c.pilot_logon_time))"
            "        FILTER (WHERE c.pilot_cid IS NOT NULL)"
            " FROM vatstats.controller_summaries s LEFT JOIN vatstats.atc_contacts c"
            "   ON c.atc_callsign = s.callsign AND c.atc_cid = s.cid AND c.started_at >= :day AND c.started_at < :next"
            " WHERE s.date = :day GROUP BY 1, 2"), {"day": date(2026, 11, 21), "next": date(2026, 11, 22)}).all()
        flights = conn.execute(sa.text(
            "SELECT f.atc_covered_seconds, f.atc_airborne_covered_seconds, f.airborne_minutes,"
            "       EXISTS (SELECT 1 FROM vatstats.atc_contacts c WHERE (c.pilot_cid, c.pilot_callsign, c.pilot_logon_time)"
            "               = (f.cid, f.callsign, f.logon_time)) AS contacted"
            " FROM vatstats.flight_summaries f")).all()
        hourly = conn.execute(sa.text(
            "SELECT area_kind, sum(aircraft_minutes), sum(covered_aircraft_minutes) FROM vatstats.coverage_hourly"
            " WHERE date = :day GROUP BY 1 ORDER BY 1"), {"day": date(2026, 11, 21)}).all()
    # the simulated hour ends 00:30: 30 minutes of traffic on the day, some of it at airports, some covered
    assert [kind for kind, _, _ in hourly] == ["airport", "enroute"]
    assert all(0 < covered < minutes for _, minutes, covered in hourly)
    assert controllers and all(handled == distinct for _, handled, distinct in controllers)
    assert any(handled > 0 for _, handled, _ in controllers)
    assert flights and all((covered > 0) == contacted for covered, _, _, contacted in flights)
    assert all(airborne is None or airborne <= minutes * 60 + 1e-3 for _, airborne, minutes, _ in flights)
