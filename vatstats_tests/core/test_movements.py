from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from vatstats_assets.core.movement_rules import DEFAULT_RULES
from vatstats_assets.core.movements import (
    AircraftState,
    Connection,
    Movement,
    TrackPoint,
    detect_movements,
    stitch_reconnects,
    trace_chain,
)
from vatstats_tests.core.tracks import (
    AIRPORTS,
    Flight,
    airline_flight,
    replace_altitude,
    seconds_apart,
    utc,
    without,
)

DAY_START = utc("2026-11-20 00:00:00")
DAY_END = utc("2026-11-21 00:00:00")


def detect(*connections: Connection, start: datetime = DAY_START, end: datetime = DAY_END) -> list[Movement]:
    return detect_movements(connections, AIRPORTS, window_start=start, window_end=end)


def summary(movements: list[Movement]) -> list[tuple[str, str]]:
    return [(m.movement_type, m.airport) for m in movements]


def assert_matches_truth(movements: list[Movement], flight: Flight, tolerance_s: float = 15.0) -> None:
    assert summary(movements) == [(e.movement_type, e.airport) for e in flight.truth]
    for movement, event in zip(movements, flight.truth, strict=True):
        assert seconds_apart(movement.at, event.at) <= tolerance_s, (movement, event)


# -- whole flights ------------------------------------------------------------------------------


def test_normal_flight_is_one_departure_and_one_arrival_on_the_filed_plan() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    movements = detect(flight.connection(filed=("YSSY", "YMML")))
    assert_matches_truth(movements, flight)
    assert all(m.matches_flight_plan for m in movements)
    assert {(m.cid, m.callsign, m.aircraft_type) for m in movements} == {(1_000_001, "QFA1", "B738")}


@pytest.mark.parametrize("phase_s", [0, 4, 9, 14])
def test_movement_times_are_put_back_to_liftoff_and_touchdown_between_samples(phase_s: int) -> None:
    flight = airline_flight("NZAA", "YSSY", utc("2026-11-20 02:00:00"), sample_phase_s=phase_s)
    movements = detect(flight.connection(filed=("NZAA", "YSSY")))
    # Interpolating between samples lands within a few seconds, far inside the 30 s target.
    assert_matches_truth(movements, flight, tolerance_s=5.0)


def test_touch_and_go_is_an_arrival_and_a_departure_at_the_airport() -> None:
    flight = Flight("YMMB", utc("2026-11-20 03:00:00"))
    flight.park(120).taxi(120, 10.0, heading=170.0)
    flight.take_off(heading=170.0, rotate_kt=60.0, climb_fpm=700.0, to_agl=500.0)
    flight.climb_out(170.0, 3.0, 1000.0, speed_kt=90.0).climb_out(350.0, 2.0, 1000.0, speed_kt=90.0)
    flight.touch_and_go("YMMB")
    flight.climb_out(350.0, 3.0, 1000.0, speed_kt=90.0).climb_out(170.0, 2.0, 1000.0, speed_kt=90.0)
    flight.land("YMMB", approach_kt=70.0)
    movements = detect(flight.connection(callsign="VH-ABC", filed=("YMMB", "YMMB"), aircraft_type="C172"))
    assert summary(movements) == [
        ("departure", "YMMB"),
        ("arrival", "YMMB"),
        ("departure", "YMMB"),
        ("arrival", "YMMB"),
    ]
    assert_matches_truth(movements, flight, tolerance_s=10.0)


def test_go_around_is_not_an_arrival() -> None:
    flight = Flight("YSSY", utc("2026-11-20 05:00:00"))
    flight.park(120).taxi(300, 15.0, heading=200.0)
    flight.take_off(heading=200.0).fly_to("YMML").go_around("YMML")
    flight.climb_out(90.0, 8.0, 2500.0, speed_kt=180.0).climb_out(270.0, 4.0, 2500.0, speed_kt=180.0)
    flight.land("YMML")
    movements = detect(flight.connection(filed=("YSSY", "YMML")))
    assert summary(movements) == [("departure", "YSSY"), ("arrival", "YMML")]
    assert_matches_truth(movements, flight)


def test_diversion_is_an_arrival_at_the_actual_airport_that_does_not_match_the_plan() -> None:
    flight = airline_flight("YSSY", "YSCB", utc("2026-11-20 07:00:00"))
    movements = detect(flight.connection(filed=("YSSY", "YMML")))
    assert summary(movements) == [("departure", "YSSY"), ("arrival", "YSCB")]
    departure, arrival = movements
    assert departure.matches_flight_plan is True
    assert arrival.matches_flight_plan is False


def test_aircraft_that_connects_airborne_has_its_arrival_counted_but_no_departure() -> None:
    flight = airline_flight("YMML", "YSSY", utc("2026-11-20 08:00:00"))
    joined = flight.truth[0].at + timedelta(minutes=20)
    movements = detect(flight.connection(filed=("YMML", "YSSY"), since=joined))
    assert summary(movements) == [("arrival", "YSSY")]


def test_aircraft_that_disconnects_airborne_has_its_departure_counted_but_no_arrival() -> None:
    flight = airline_flight("YMML", "YSSY", utc("2026-11-20 08:00:00"))
    left = flight.truth[0].at + timedelta(minutes=20)
    movements = detect(flight.connection(filed=("YMML", "YSSY"), until=left))
    assert summary(movements) == [("departure", "YMML")]


def test_aircraft_that_connects_two_minutes_before_touchdown_has_its_arrival_counted() -> None:
    flight = airline_flight("YMML", "YSSY", utc("2026-11-20 08:00:00"))
    joined = flight.truth[1].at - timedelta(minutes=2)  # about 1,000 ft up on final
    movements = detect(flight.connection(filed=("YMML", "YSSY"), since=joined))
    assert summary(movements) == [("arrival", "YSSY")]


# -- reconnects ---------------------------------------------------------------------------------


def split_with_reconnect(flight: Flight, drop_at: datetime, back_after: timedelta) -> tuple[Connection, Connection]:
    """Two connections of one flight: dropped at `drop_at`, back under a new logon time after the gap."""
    first = flight.connection(filed=("YSSY", "YMML"), until=drop_at)
    back = drop_at + back_after
    second = flight.connection(filed=("YSSY", "YMML"), since=back, logon_time=back - timedelta(seconds=10))
    return first, second


def test_reconnect_under_a_new_logon_time_mid_flight_makes_no_phantom_movements() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 09:00:00"))
    first, second = split_with_reconnect(flight, flight.truth[0].at + timedelta(minutes=30), timedelta(minutes=2))
    assert [len(chain) for chain in stitch_reconnects([first, second])] == [2]
    movements = detect(first, second)
    assert_matches_truth(movements, flight)
    departure, arrival = movements
    assert departure.logon_time == first.logon_time
    assert arrival.logon_time == second.logon_time  # the connection in effect at touchdown


def test_reconnect_under_a_new_logon_time_on_the_ground_makes_no_phantom_movements() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 09:00:00"))
    first, second = split_with_reconnect(flight, utc("2026-11-20 09:07:00"), timedelta(minutes=1))
    movements = detect(first, second)
    assert_matches_truth(movements, flight)
    assert {m.logon_time for m in movements} == {second.logon_time}


def test_reconnect_during_the_takeoff_climb_still_counts_the_departure_once() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 09:00:00"))
    first, second = split_with_reconnect(flight, flight.truth[0].at + timedelta(seconds=20), timedelta(minutes=1))
    movements = detect(first, second)
    assert_matches_truth(movements, flight)


def test_reconnects_are_stitched_only_when_soon_and_where_the_aircraft_could_be() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 09:00:00"))
    drop = flight.truth[0].at + timedelta(minutes=30)
    soon = split_with_reconnect(flight, drop, timedelta(minutes=3))
    late = split_with_reconnect(flight, drop, DEFAULT_RULES.reconnect_max_gap + timedelta(minutes=1))
    first, second = soon
    teleported = replace(
        second, points=tuple(replace(p, latitude=p.latitude + 3.0) for p in second.points)
    )  # 180 nm away after 3 minutes at 450 kt: a different flight
    other_pilot = replace(second, cid=second.cid + 1)
    assert [len(c) for c in stitch_reconnects(soon)] == [2]
    assert [len(c) for c in stitch_reconnects(late)] == [1, 1]
    assert [len(c) for c in stitch_reconnects([first, teleported])] == [1, 1]
    assert [len(c) for c in stitch_reconnects([first, other_pilot])] == [1, 1]


# -- midnight -----------------------------------------------------------------------------------


def test_flight_crossing_midnight_counts_each_movement_once_on_its_own_day() -> None:
    flight = airline_flight("YPPH", "YSSY", utc("2026-11-20 22:30:00"))
    departure_day, arrival_day = DAY_START, DAY_END
    assert flight.truth[0].at < arrival_day <= flight.truth[1].at
    full = flight.connection(filed=("YPPH", "YSSY"))
    by_day = {}
    for day_start in (departure_day, arrival_day):
        day_end = day_start + timedelta(days=1)
        # Each day is run as the partition would be: its window plus the context on both sides.
        loaded = replace(
            full,
            points=tuple(
                p
                for p in full.points
                if day_start - DEFAULT_RULES.context_before <= p.observed_at < day_end + DEFAULT_RULES.context_after
            ),
        )
        by_day[day_start] = detect(loaded, start=day_start, end=day_end)
    assert summary(by_day[departure_day]) == [("departure", "YPPH")]
    assert summary(by_day[arrival_day]) == [("arrival", "YSSY")]


@pytest.mark.parametrize("seconds_before_midnight", [1, 5, 10, 14])
def test_takeoff_seconds_before_midnight_is_counted_on_exactly_one_day(seconds_before_midnight: int) -> None:
    flight = Flight("YSSY", DAY_END - timedelta(minutes=10))
    flight.park(60).taxi(240, 15.0, heading=160.0)
    roll = 50  # seconds from brake release to 150 kt at 3 kt/s
    flight.park(600 - 60 - 240 - roll - seconds_before_midnight)
    flight.take_off(heading=160.0).fly_to("YMML")
    full = flight.connection(filed=("YSSY", "YMML"))
    counted = [len(detect(full, start=day, end=day + timedelta(days=1))) for day in (DAY_START, DAY_END)]
    assert sum(counted) == 1


# -- things that are not movements -----------------------------------------------------------------


def test_fast_taxi_at_40_knots_is_not_a_takeoff() -> None:
    flight = Flight("YSSY", utc("2026-11-20 10:00:00"), jitter_ft=25.0, seed=3)
    flight.park(60).taxi(600, 40.0, heading=340.0).taxi(300, 40.0, heading=160.0).park(120)
    assert detect(flight.connection()) == []


def test_parked_aircraft_produces_no_movements() -> None:
    flight = Flight("NZAA", utc("2026-11-20 00:00:00"), ground_offset_ft=-60.0, jitter_ft=20.0, seed=5)
    flight.park(6 * 3600)
    connection = flight.connection()
    assert detect(connection) == []
    assert [p.state for p in trace_chain([connection], AIRPORTS).phases] == [AircraftState.GROUND]


def test_single_noisy_altitude_sample_of_a_parked_aircraft_does_not_flap() -> None:
    flight = Flight("YSSY", utc("2026-11-20 10:00:00"), jitter_ft=20.0, seed=7)
    flight.park(1800)
    connection = replace_altitude(flight.connection(), 40, 21 + 900)
    assert detect(connection) == []


def test_altitude_jitter_of_a_taxiing_aircraft_near_the_ground_threshold_does_not_flap() -> None:
    # Readings 100 ft above the field, jittering by 60 ft: they wander across the ground threshold
    # and into the band, but never up to the airborne height twice in a row while moving.
    flight = Flight("YMML", utc("2026-11-20 10:00:00"), ground_offset_ft=100.0, jitter_ft=60.0, seed=11)
    flight.taxi(900, 20.0, heading=270.0).park(600)
    assert detect(flight.connection()) == []


def test_single_noisy_low_sample_on_the_approach_is_not_a_touch_and_go() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    connection = flight.connection(filed=("YSSY", "YMML"))
    landing = flight.truth[1].at
    # A sample about 4 minutes before touchdown (~2,000 ft up) reads as if at the field.
    index = max(i for i, p in enumerate(connection.points) if p.observed_at <= landing - timedelta(minutes=4))
    noisy = replace_altitude(connection, index, 434 + 30)
    assert_matches_truth(detect(noisy), flight)


def test_off_field_landing_is_not_counted() -> None:
    flight = Flight("YSSY", utc("2026-11-20 04:00:00"))
    flight.park(60).taxi(200, 15.0, heading=200.0).take_off(heading=200.0, to_agl=2000.0)
    flight.climb_out(260.0, 40.0, 2000.0, speed_kt=160.0)
    # Glide into a paddock 40 nm west of Sydney: the track ends there, far from any airport.
    point = flight.samples[-1]
    paddock = [
        TrackPoint(
            point.observed_at + timedelta(seconds=15 * k),
            point.latitude,
            point.longitude - 0.01 * k,
            max(1500, 2000 - 150 * k),
            60 if k < 5 else 0,
        )
        for k in range(1, 12)
    ]
    flight.samples.extend(paddock)
    assert summary(detect(flight.connection())) == [("departure", "YSSY")]


def moved_on_the_ground(first: Flight, second: Flight) -> Connection:
    """One connection whose aircraft stands at one field, then at another (repositioned, no flight)."""
    assert first.samples[-1].observed_at < second.samples[0].observed_at
    return replace(first.connection(), points=tuple(first.samples + second.samples))


def test_aircraft_moved_on_the_ground_up_to_a_higher_airport_departs_from_where_it_is() -> None:
    sydney = Flight("YSSY", utc("2026-11-20 04:00:00")).park(600)  # 21 ft
    canberra = Flight("YSCB", utc("2026-11-20 04:10:00"))  # 1,886 ft
    canberra.park(300).taxi(240, 15.0, heading=350.0).take_off(heading=350.0, to_agl=5000.0)
    assert summary(detect(moved_on_the_ground(sydney, canberra))) == [("departure", "YSCB")]


def test_aircraft_moved_on_the_ground_down_to_a_lower_airport_departs_from_where_it_is() -> None:
    canberra = Flight("YSCB", utc("2026-11-20 04:00:00")).park(600)
    sydney = Flight("YSSY", utc("2026-11-20 04:10:00"))
    sydney.park(300).taxi(240, 15.0, heading=160.0).take_off(heading=160.0, to_agl=5000.0)
    movements = detect(moved_on_the_ground(canberra, sydney))
    assert summary(movements) == [("departure", "YSSY")]
    assert seconds_apart(movements[0].at, sydney.truth[0].at) <= 15


def test_aircraft_moved_on_the_ground_and_left_parked_makes_no_movement() -> None:
    sydney = Flight("YSSY", utc("2026-11-20 04:00:00")).park(600)
    canberra = Flight("YSCB", utc("2026-11-20 04:10:00")).park(1200)
    assert detect(moved_on_the_ground(sydney, canberra)) == []


# -- special aircraft and data ---------------------------------------------------------------------


def test_helicopter_between_small_fields_counts_departure_and_arrival() -> None:
    helicopter = Flight("YSBK", utc("2026-11-20 01:00:00"), gate_distance_nm=0.1)
    helicopter.park(300).lift_vertically(to_agl=800.0, heading=230.0).hover_taxi_to("YSHW").park(600)
    movements = detect(helicopter.connection(callsign="HEMS1", filed=("YSBK", "YSHW"), aircraft_type="EC35"))
    assert_matches_truth(movements, helicopter, tolerance_s=30.0)
    assert all(m.matches_flight_plan for m in movements)


def test_vfr_circuits_at_a_small_field_count_every_touch_and_go() -> None:
    flight = Flight("YMMB", utc("2026-11-20 23:00:00"))
    flight.park(180).taxi(180, 10.0, heading=350.0).take_off(
        heading=350.0, rotate_kt=60.0, climb_fpm=700.0, to_agl=500.0
    )
    for _ in range(3):
        flight.climb_out(350.0, 2.5, 1000.0, speed_kt=90.0).climb_out(170.0, 2.5, 1000.0, speed_kt=90.0)
        flight.touch_and_go("YMMB", approach_kt=75.0)
    flight.climb_out(350.0, 2.5, 1000.0, speed_kt=90.0).climb_out(170.0, 2.5, 1000.0, speed_kt=90.0)
    flight.land("YMMB", approach_kt=70.0)
    movements = detect(
        flight.connection(callsign="VH-XYZ", filed=(None, None), aircraft_type="C172"),
        start=DAY_START,
        end=DAY_END + timedelta(days=1),
    )
    assert_matches_truth(movements, flight, tolerance_s=10.0)
    assert len(movements) == 8
    assert not any(m.matches_flight_plan for m in movements)  # no flight plan, nothing to match


def test_gap_in_data_during_cruise_keeps_one_departure_and_one_arrival() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    takeoff = flight.truth[0].at
    gapped = without(
        flight.connection(filed=("YSSY", "YMML")), takeoff + timedelta(minutes=15), takeoff + timedelta(minutes=35)
    )
    assert_matches_truth(detect(gapped), flight)


def test_gap_in_data_across_the_landing_still_counts_the_arrival_at_the_right_airport() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    landing = flight.truth[1].at
    gapped = without(
        flight.connection(filed=("YSSY", "YMML")), landing - timedelta(minutes=3), landing + timedelta(minutes=2)
    )
    movements = detect(gapped)
    assert summary(movements) == [("departure", "YSSY"), ("arrival", "YMML")]
    assert seconds_apart(movements[1].at, landing) <= 5 * 60


def test_ground_readings_a_hundred_feet_below_the_field_still_make_movements() -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"), ground_offset_ft=-100.0, jitter_ft=15.0)
    assert_matches_truth(detect(flight.connection(filed=("YSSY", "YMML"))), flight)


def test_the_filed_airport_wins_when_two_fields_are_in_range() -> None:
    # Bankstown and Holsworthy are 4 nm apart: the helicopter parked between them, a little nearer
    # to Bankstown, filed from Holsworthy.
    helicopter = Flight("YSHW", utc("2026-11-20 01:00:00"), gate_bearing_deg=25.0, gate_distance_nm=2.5)
    helicopter.park(120).lift_vertically(to_agl=800.0, heading=20.0).hover_taxi_to("YRSH").park(300)
    filed = detect(helicopter.connection(filed=("YSHW", "YRSH")))
    unfiled = detect(helicopter.connection(filed=(None, None)))
    assert summary(filed)[0] == ("departure", "YSHW")
    assert summary(unfiled)[0] == ("departure", "YSBK")


# -- the window and the output -----------------------------------------------------------------------


def test_only_movements_inside_the_window_are_returned_and_in_order() -> None:
    first = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    second = airline_flight("YMML", "YSSY", utc("2026-11-20 06:00:00"))
    connections = [first.connection(cid=1, callsign="QFA1"), second.connection(cid=2, callsign="VOZ2")]
    whole = detect(*connections)
    assert [m.at for m in whole] == sorted(m.at for m in whole)
    assert len(whole) == 4
    window_start = first.truth[0].at + timedelta(minutes=10)
    window_end = first.truth[1].at
    inside = detect(*connections, start=window_start, end=window_end)
    assert inside == [m for m in whole if window_start <= m.at < window_end]


def test_a_window_without_timezone_is_rejected_in_one_sentence() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        detect_movements([], AIRPORTS, window_start=datetime(2026, 11, 20), window_end=datetime(2026, 11, 21))


def test_no_connections_give_no_movements() -> None:
    assert detect() == []
    assert detect(Connection(1, "EMPTY", DAY_START, None, None, None, ())) == []
