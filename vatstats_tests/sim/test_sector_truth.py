"""The sector ground truth: stays timed on the true trajectory, with the detector's rule of what
counts (flying faster than 40 kt, inside a 3-D volume)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import orjson
import pytest

from vatstats_assets.core.airspace import load_airspace
from vatstats_assets.core.movement_rules import DEFAULT_RULES
from vatstats_assets.sim import GroundTruth, write_offline
from vatstats_assets.sim.offline import TRUTH_FILE_NAME
from vatstats_assets.sim.sector_truth import FLYING_ABOVE_GS_KT, SectorTruth
from vatstats_assets.sim.sphere import EARTH_RADIUS_NM
from vatstats_assets.sim.timefmt import feed_timestamp, utc_from_epoch
from vatstats_assets.sim.traffic import Connection, PilotSession
from vatstats_assets.sim.trajectory import TrajectoryBuilder
from vatstats_assets.sim.truth import SectorStayTruth, event_from_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "airspace"
AIRSPACE = load_airspace(FIXTURES)
BASE = datetime(2026, 11, 20, 6, tzinfo=UTC).timestamp()
NM_PER_DEGREE = EARTH_RADIUS_NM * math.pi / 180
# SY_TMA (SY_APP below 12,500 ft, ARL above) spans 33 21' S to 34 33' S, 150 30' E to 151 54' E.
TMA_NORTH, TMA_SOUTH = -(33 + 21 / 60), -(34 + 33 / 60)


def session(builder: TrajectoryBuilder, *connections: tuple[float, float]) -> PilotSession:
    """A stand-in session: the trajectory and the connections (relative seconds) the truth reads."""
    def connection(logon: float, logoff: float) -> Connection:
        moment = utc_from_epoch(BASE + logon)
        return Connection(BASE + logon, BASE + logoff, moment, feed_timestamp(moment))

    placed = [connection(*c) for c in connections]
    return cast(PilotSession, SimpleNamespace(
        trajectory=builder.build(), base=BASE, cid=1234567, callsign="QFA1", connections=placed,
        end=placed[-1].logoff,
    ))


def stays_of(s: PilotSession, window: tuple[float, float] = (-1e9, 1e9)) -> list[SectorStayTruth]:
    return [t for t in SectorTruth(AIRSPACE).stays(s, BASE + window[0], BASE + window[1])
            if t.sector in ("SY_APP", "ARL", "ELW")]


def seconds(moment: datetime) -> float:
    return moment.timestamp() - BASE


def southbound_at(altitude_ft: float, speed_kt: float = 360.0) -> TrajectoryBuilder:
    """Along the 151 E meridian (a great circle), from 33 S to 35 S at a constant speed."""
    builder = TrajectoryBuilder(0.0, -33.0, 151.0, altitude_ft, 180.0)
    builder.speed_kt = speed_kt
    builder.move_to(-35.0, 151.0, speed_kt=speed_kt, altitude_ft=altitude_ft, on_ground=False)
    return builder


def test_the_truth_flies_the_detectors_rule_of_what_counts() -> None:
    assert FLYING_ABOVE_GS_KT == DEFAULT_RULES.taxi_max_gs_kt


def test_entry_and_exit_are_timed_on_the_true_path_to_a_few_milliseconds() -> None:
    stays = stays_of(session(southbound_at(8000), (0, 3600)))
    sy = next(s for s in stays if s.sector == "SY_APP")
    # 360 kt along a meridian: 6 nm a minute, one degree of latitude in NM_PER_DEGREE / 6 minutes.
    expected_in = (TMA_NORTH - -33.0) * -NM_PER_DEGREE / 360 * 3600
    expected_out = (TMA_SOUTH - -33.0) * -NM_PER_DEGREE / 360 * 3600
    assert seconds(sy.entered_at) == pytest.approx(expected_in, abs=0.005)
    assert seconds(sy.exited_at) == pytest.approx(expected_out, abs=0.005)
    assert (sy.entry, sy.exit) == ("boundary", "boundary")
    # Above the terminal area's ceiling the same path is in ARL throughout.
    assert [s.sector for s in stays_of(session(southbound_at(20000), (0, 3600)))] == ["ARL"]


def test_climbing_through_the_ceiling_moves_the_aircraft_from_approach_to_the_sector_above() -> None:
    builder = TrajectoryBuilder(0.0, -33.9, 151.0, 8000.0, 180.0)
    builder.speed_kt = 300.0
    builder.move_to(-34.3, 151.0, speed_kt=300.0, altitude_ft=16000.0, on_ground=False)
    duration = builder.t
    stays = {s.sector: s for s in stays_of(session(builder, (0, duration)))}
    crossing = duration * (12500 - 8000) / (16000 - 8000)  # the climb rate is constant
    assert seconds(stays["SY_APP"].exited_at) == pytest.approx(crossing, abs=0.005)
    assert seconds(stays["ARL"].entered_at) == pytest.approx(crossing, abs=0.005)
    assert stays["SY_APP"].entry == "logon" and stays["ARL"].exit == "logoff"


def test_a_take_off_roll_enters_the_sector_when_it_passes_40_kt() -> None:
    builder = TrajectoryBuilder(0.0, -33.95, 151.18, 21.0, 164.0)
    builder.hold(60.0)
    builder.move_along(164.0, 0.9, speed_kt=150.0, altitude_ft=21.0, on_ground=True)  # 43.2 s to 150 kt
    roll = builder.t - 60.0
    builder.move_along(164.0, 5.0, speed_kt=200.0, altitude_ft=3000.0, on_ground=False)
    (stay,) = stays_of(session(builder, (0, builder.t)))
    assert stay.entry == "takeoff"
    assert seconds(stay.entered_at) == pytest.approx(60.0 + roll * 40 / 150, abs=0.005)


def test_stays_end_with_the_connection_and_begin_again_with_the_reconnect() -> None:
    # In the terminal area from 210 s to 930 s, offline from 600 s to 700 s.
    stays = [s for s in stays_of(session(southbound_at(8000), (0, 600), (700, 3600))) if s.sector == "SY_APP"]
    assert [(s.entry, s.exit) for s in stays] == [("boundary", "reconnect"), ("reconnect", "boundary")]
    assert seconds(stays[0].exited_at) == pytest.approx(600) and seconds(stays[1].entered_at) == pytest.approx(700)
    assert stays[0].logon_time != stays[1].logon_time


def test_stays_are_cut_at_the_simulated_windows_edges() -> None:
    (stay,) = stays_of(session(southbound_at(8000), (0, 3600)), window=(1000, 1100))
    assert (stay.entry, stay.exit) == ("window", "window")
    assert (seconds(stay.entered_at), seconds(stay.exited_at)) == (pytest.approx(1000), pytest.approx(1100))


def test_a_slow_aircraft_is_in_no_sector() -> None:
    assert stays_of(session(southbound_at(3000, speed_kt=35.0), (0, 3600))) == []


def test_a_sector_stay_reads_back_from_its_json_line() -> None:
    stay = SectorStayTruth("ARL", 1, "QFA1", datetime(2026, 11, 20, 5, 0, 0, 123456, tzinfo=UTC),
                           datetime(2026, 11, 20, 6, 0, 1, 250000, tzinfo=UTC),
                           datetime(2026, 11, 20, 6, 30, tzinfo=UTC), "takeoff", "boundary")
    line = stay.to_json()
    assert line["entered_at"] == "2026-11-20T06:00:01.250Z"
    assert event_from_json(orjson.loads(orjson.dumps(line))) == stay


def test_offline_with_an_airspace_writes_every_connections_stays_to_the_ground_truth(tmp_path: Path) -> None:
    start = datetime(2026, 11, 20, 6, tzinfo=UTC)
    run = write_offline(tmp_path, hours=0.5, pilots=60, seed=2, start=start, airspace=AIRSPACE)
    truth = GroundTruth.load(tmp_path / TRUTH_FILE_NAME)
    assert run.sector_stays == len(truth.sector_stays) > 0
    assert {s.sector for s in truth.sector_stays} <= set(AIRSPACE.sectors)
    assert all(start <= s.entered_at <= s.exited_at <= start + timedelta(hours=0.5) for s in truth.sector_stays)
    plain = tmp_path / "plain"
    write_offline(plain, hours=0.5, pilots=60, seed=2, start=start)
    assert GroundTruth.load(plain / TRUTH_FILE_NAME).sector_stays == []
