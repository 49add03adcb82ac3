"""Hourly sector load and staffing from stays and the controllers online (fixture airspace)."""

from datetime import timedelta
from pathlib import Path

import pytest

from vatstats_assets.core.airspace import load_airspace
from vatstats_assets.core.sector_load import ControllerOnline, sector_hours, sectors_staffed_by
from vatstats_assets.core.sector_occupancy import Stay
from vatstats_tests.core.tracks import utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "airspace"
DAY = utc("2026-11-20 00:00:00")


@pytest.fixture(scope="module")
def airspace():
    return load_airspace(FIXTURES)


def stay(sector: str, start: str, end: str, cid: int = 1, entry: str = "boundary") -> Stay:
    return Stay(sector, cid, f"QFA{cid}", DAY, utc(f"2026-11-20 {start}"), utc(f"2026-11-20 {end}"),
                entry, "boundary")  # type: ignore[arg-type]


def online(callsign: str, start: str, end: str, frequency: str | None = None, facility: int = 6) -> ControllerOnline:
    return ControllerOnline(callsign, frequency, facility, utc(f"2026-11-20 {start}"), utc(f"2026-11-20 {end}"))


def test_a_position_staffs_its_sector_and_those_it_is_responsible_for(airspace) -> None:
    assert sectors_staffed_by(online("ML-ELW_CTR", "06:00:00", "07:00:00"), airspace) == {"ELW", "ARL", "SY_APP"}
    assert sectors_staffed_by(online("SY_1_APP", "06:00:00", "07:00:00"), airspace) == {"SY_APP"}
    assert sectors_staffed_by(online("ML-X_CTR", "06:00:00", "07:00:00", frequency="124.65"), airspace) == {"ARL", "SY_APP"}
    assert sectors_staffed_by(online("NZZO_FSS", "06:00:00", "07:00:00"), airspace) == {"NZZO"}
    assert sectors_staffed_by(online("ML-ELW_CTR", "06:00:00", "07:00:00", facility=0), airspace) == set()


def test_an_hour_counts_aircraft_minutes_peak_and_unstaffed_time(airspace) -> None:
    stays = [stay("ARL", "06:10:00", "06:40:00", 1), stay("ARL", "06:20:00", "07:20:00", 2),
             stay("ARL", "06:50:00", "06:55:00", 3, entry="takeoff")]
    controllers = [online("ML-ARL_CTR", "06:30:00", "09:00:00")]
    rows = {(r.sector, r.hour): r for r in sector_hours(stays, controllers, airspace, day_start=DAY)}
    six = rows[("ARL", 6)]
    assert (six.aircraft, six.entries, six.aircraft_minutes) == (3, 2, 30 + 40 + 5)
    assert (six.peak_aircraft, six.peak_at) == (2, utc("2026-11-20 06:20:00"))
    assert six.staffed_minutes == 30
    assert six.unstaffed_aircraft_minutes == 20 + 10  # aircraft 1 and 2 before 06:30
    seven = rows[("ARL", 7)]
    assert (seven.aircraft, seven.peak_aircraft, seven.peak_at, seven.unstaffed_aircraft_minutes) == (
        1, 1, utc("2026-11-20 07:00:00"), 0)
    assert rows[("SY_APP", 8)].staffed_minutes == 60 and rows[("SY_APP", 8)].aircraft == 0
    assert ("ELW", 6) not in rows


def test_a_handover_at_one_instant_is_not_two_aircraft_at_once(airspace) -> None:
    stays = [stay("ELW", "06:00:00", "06:30:00", 1), stay("ELW", "06:30:00", "06:45:00", 2)]
    rows = sector_hours(stays, [], airspace, day_start=DAY)
    assert [(r.hour, r.peak_aircraft, r.staffed_minutes) for r in rows] == [(6, 1, 0)]
    assert rows[0].unstaffed_aircraft_minutes == rows[0].aircraft_minutes == 45


def test_the_day_is_cut_at_midnight_for_staffing(airspace) -> None:
    controller = ControllerOnline("SY_APP", None, 5, DAY - timedelta(hours=1), DAY + timedelta(minutes=30))
    rows = sector_hours([], [controller], airspace, day_start=DAY)
    assert [(r.sector, r.hour, r.staffed_minutes) for r in rows] == [("SY_APP", 0, 30)]
