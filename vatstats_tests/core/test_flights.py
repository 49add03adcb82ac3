from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from vatstats_assets.core.flights import CompletedFlight, completed_flights
from vatstats_assets.core.geo import haversine_nm
from vatstats_assets.core.movements import Connection
from vatstats_tests.core.tracks import AIRPORTS, Flight, airline_flight, airport, seconds_apart, utc

DAY_START = utc("2026-11-20 00:00:00")
DAY_END = utc("2026-11-21 00:00:00")


def flights(
    *connections: Connection, start: datetime = DAY_START, end: datetime = DAY_END, **options: object
) -> list[CompletedFlight]:
    return completed_flights(connections, AIRPORTS, window_start=start, window_end=end, **options)  # type: ignore[arg-type]


def test_normal_flight_is_completed_with_its_times_distance_and_altitude() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    connection = flight.connection(filed=("YSSY", "YMML"))
    (completed,) = flights(connection, flight_rules={(connection.cid, connection.callsign, connection.logon_time): "I"})
    takeoff, landing = flight.truth[0].at, flight.truth[1].at
    assert (completed.departure, completed.arrival, completed.diverted) == ("YSSY", "YMML", False)
    assert completed.flight_rules == "I"
    assert completed.takeoff_at is not None and seconds_apart(completed.takeoff_at, takeoff) <= 5
    assert seconds_apart(completed.landing_at, landing) <= 5
    assert completed.airborne_minutes is not None
    assert abs(completed.airborne_minutes - (landing - takeoff).total_seconds() / 60) < 0.2
    # The aircraft left the gate after 5 minutes parked, and parked again after 3 minutes of taxi.
    assert (
        completed.off_block_at is not None
        and seconds_apart(completed.off_block_at, flight.start + timedelta(minutes=5)) <= 15
    )
    assert completed.on_block_at is not None and completed.on_block_at - landing > timedelta(minutes=3)
    assert completed.max_altitude_ft == 33000
    great_circle = haversine_nm(
        airport("YSSY").latitude, airport("YSSY").longitude, airport("YMML").latitude, airport("YMML").longitude
    )
    assert great_circle - 5 < completed.distance_nm < great_circle + 10


def test_touch_and_goes_belong_to_one_completed_flight_that_ends_with_the_full_stop() -> None:
    flight = Flight("YMMB", utc("2026-11-20 03:00:00"))
    flight.park(120).taxi(120, 10.0, heading=170.0).take_off(
        heading=170.0, rotate_kt=60.0, climb_fpm=700.0, to_agl=500.0
    )
    for _ in range(2):
        flight.climb_out(170.0, 3.0, 1000.0, speed_kt=90.0).climb_out(350.0, 2.0, 1000.0, speed_kt=90.0)
        flight.touch_and_go("YMMB")
    flight.climb_out(170.0, 3.0, 1000.0, speed_kt=90.0).climb_out(350.0, 2.0, 1000.0, speed_kt=90.0)
    flight.land("YMMB", approach_kt=70.0)
    (completed,) = flights(flight.connection(callsign="VH-ABC", aircraft_type="C172"))
    assert (completed.departure, completed.arrival) == ("YMMB", "YMMB")
    assert seconds_apart(completed.landing_at, flight.truth[-1].at) <= 10
    assert completed.takeoff_at is not None and seconds_apart(completed.takeoff_at, flight.truth[0].at) <= 10
    assert completed.diverted is False  # no flight plan: nothing to divert from


def test_diverted_flight_is_marked_diverted() -> None:
    flight = airline_flight("YSSY", "YSCB", utc("2026-11-20 07:00:00"))
    (completed,) = flights(flight.connection(filed=("YSSY", "YMML")))
    assert (completed.arrival, completed.filed_arrival, completed.diverted) == ("YSCB", "YMML", True)


def test_flight_that_connected_airborne_has_no_departure_and_no_airborne_minutes() -> None:
    flight = airline_flight("YMML", "YSSY", utc("2026-11-20 08:00:00"))
    joined = flight.truth[0].at + timedelta(minutes=20)
    (completed,) = flights(flight.connection(filed=("YMML", "YSSY"), since=joined))
    assert completed.departure is None and completed.takeoff_at is None and completed.off_block_at is None
    assert completed.airborne_minutes is None
    assert completed.arrival == "YSSY"
    assert completed.distance_nm > 100  # measured from the first airborne sample


def test_flight_that_disconnects_airborne_is_not_completed() -> None:
    flight = airline_flight("YMML", "YSSY", utc("2026-11-20 08:00:00"))
    assert flights(flight.connection(until=flight.truth[0].at + timedelta(minutes=20))) == []


def test_flight_with_a_reconnect_is_one_completed_flight_in_the_landing_connection() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 09:00:00"))
    drop = flight.truth[0].at + timedelta(minutes=30)
    first = flight.connection(filed=("YSSY", "YMML"), until=drop)
    second = flight.connection(
        filed=("YSSY", "YMML"), since=drop + timedelta(minutes=2), logon_time=drop + timedelta(minutes=1)
    )
    (completed,) = flights(first, second, flight_rules={(second.cid, second.callsign, second.logon_time): "I"})
    assert completed.logon_time == second.logon_time
    assert completed.flight_rules == "I"
    assert (completed.departure, completed.arrival) == ("YSSY", "YMML")


def test_flight_is_completed_on_the_day_of_its_final_landing() -> None:
    flight = airline_flight("YPPH", "YSSY", utc("2026-11-20 22:30:00"))
    connection = flight.connection(filed=("YPPH", "YSSY"))
    next_day = DAY_END + timedelta(days=1)
    assert flights(connection) == []
    (completed,) = flights(connection, start=DAY_END, end=next_day)
    assert completed.departure == "YPPH"
    assert completed.takeoff_at is not None and completed.takeoff_at < DAY_END <= completed.landing_at


def test_landing_whose_track_ends_on_the_runway_completes_the_flight() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    landing = flight.truth[1].at
    connection = flight.connection(until=landing + timedelta(seconds=20))
    (completed,) = flights(connection)
    assert completed.arrival == "YMML"
    assert completed.on_block_at is None  # never seen standing at a gate


def test_touch_and_go_cut_off_before_the_window_ends_is_completed_only_if_the_track_ends_there() -> None:
    flight = Flight("YMMB", utc("2026-11-20 03:00:00"))
    flight.park(120).taxi(120, 10.0, heading=170.0).take_off(
        heading=170.0, rotate_kt=60.0, climb_fpm=700.0, to_agl=500.0
    )
    flight.climb_out(170.0, 3.0, 1000.0, speed_kt=90.0).climb_out(350.0, 2.0, 1000.0, speed_kt=90.0)
    flight.touch_and_go("YMMB").climb_out(350.0, 6.0, 1000.0, speed_kt=90.0)
    whole = flight.connection()
    assert flights(whole) == []  # the touch-and-go did not end the flight; it is still airborne
    touchdown = flight.truth[1].at
    cut = replace(whole, points=tuple(p for p in whole.points if p.observed_at <= touchdown + timedelta(seconds=15)))
    assert [f.arrival for f in flights(cut)] == ["YMMB"]
