"""Who a simulated pilot tunes: the station responsible for where it is, most specific first."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np

from vatstats_assets.sim.controllers import APPROACH, CENTRE, DELIVERY, GROUND, TOWER, ControllerConnection
from vatstats_assets.sim.radio import CARRIER, CARRIER_KHZ, NAME, PilotRadio, points_for, station_table, tune
from vatstats_assets.sim.stations import Site, draw_sites

YSSY = (-33.946, 151.177, 21.0)
LOGON = datetime(2026, 11, 20, tzinfo=UTC)


def station(callsign: str, facility: int, frequency: str, home: tuple[float, float, float] = YSSY,
            logoff: float = 1e12) -> ControllerConnection:
    connection = ControllerConnection(
        "controllers", 900000 + facility, callsign, facility, 5, frequency, "AUSTRALIA", 50, 0.0, logoff,
        LOGON, "2026-11-20T00:00:00Z", None, None, 0, home,
    )
    khz = int(frequency.replace(".", ""))
    connection.sites = draw_sites(callsign, connection.cid, 0.0, facility, khz, home, atis=False)
    return connection


def radio(style: int = NAME, off_block: float = 100.0) -> PilotRadio:
    return PilotRadio(off_block, style, math.inf, math.inf, 25_000, False, -math.inf)


def com1(stations: list[ControllerConnection], *, t: float = 500.0, altitude_ft: float = 21.0,
         groundspeed_kt: float = 0.0, where: tuple[float, float] = YSSY[:2], pilot: PilotRadio | None = None) -> int:
    points = points_for(pilot or radio(), np.array([t]), np.array([where[0]]), np.array([where[1]]),
                        np.array([altitude_ft]), np.array([groundspeed_kt]))
    return int(tune(points, station_table(stations))[0][0])


ALL = [station("SY_DEL", DELIVERY, "120.075"), station("SY_GND", GROUND, "121.675"),
       station("SY_TWR", TOWER, "120.875"), station("SY_APP", APPROACH, "123.475"),
       station("ML-BIK_CTR", CENTRE, "130.625", home=(-34.2, 150.1, 0.0))]


def test_nobody_online_means_unicom() -> None:
    assert com1([]) == 122_800_000
    assert com1([station("SY_TWR", TOWER, "120.875", logoff=10.0)]) == 122_800_000


def test_the_most_specific_station_online_is_worked() -> None:
    assert com1(ALL, t=50.0) == 120_075_000  # at the gate before off-block: delivery
    assert com1(ALL, groundspeed_kt=15.0) == 121_675_000  # taxiing: ground
    assert com1(ALL, groundspeed_kt=140.0) == 120_875_000  # take-off roll: tower
    assert com1(ALL, groundspeed_kt=250.0, altitude_ft=9000.0) == 123_475_000  # above the tower: approach
    assert com1(ALL, groundspeed_kt=450.0, altitude_ft=35000.0) == 130_625_000  # above approach: the centre


def test_a_missing_station_hands_its_part_to_the_next_one_up() -> None:
    assert com1(ALL[2:], t=50.0) == 120_875_000  # no delivery or ground: tower clears and taxies
    assert com1(ALL[4:], groundspeed_kt=15.0) == 130_625_000  # only the centre: top-down
    far = (-20.0, 140.0)  # 900 nm away from everyone
    assert com1(ALL, where=far, groundspeed_kt=450.0, altitude_ft=35000.0) == 122_800_000


def test_an_833_channel_is_reported_by_name_carrier_or_cut_carrier_as_the_client_does() -> None:
    on_833 = [station("EGLL_APP", APPROACH, "124.485", home=(51.47, -0.46, 83.0))]
    site: Site = on_833[0].sites[0]
    assert site.frequency_hz == 124_483_333  # the carrier of the name 124.485
    where = (51.47, -0.46)
    by_style = {style: com1(on_833, where=where, groundspeed_kt=200.0, altitude_ft=5000.0, pilot=radio(style))
                for style in (NAME, CARRIER, CARRIER_KHZ)}
    assert by_style == {NAME: 124_485_000, CARRIER: 124_483_333, CARRIER_KHZ: 124_483_000}


def test_a_wrong_tune_is_the_adjacent_channel_while_it_lasts() -> None:
    wrong = PilotRadio(100.0, NAME, 400.0, 600.0, 25_000, False, -math.inf)
    assert com1(ALL, groundspeed_kt=15.0, pilot=wrong) == 121_700_000
    assert com1(ALL, groundspeed_kt=15.0, pilot=wrong, t=700.0) == 121_675_000
