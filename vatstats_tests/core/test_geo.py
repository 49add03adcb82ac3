from __future__ import annotations

import random

import pytest

from vatstats_assets.core.geo import (
    add_track_length_nm,
    destination_point,
    haversine_nm,
    initial_bearing_deg,
    path_length_nm,
)


def test_one_degree_of_latitude_is_about_sixty_nautical_miles() -> None:
    assert haversine_nm(0.0, 0.0, 1.0, 0.0) == pytest.approx(60.04, abs=0.01)


def test_pole_to_equator_is_a_quarter_of_the_circumference() -> None:
    assert haversine_nm(90.0, 0.0, 0.0, 123.0) == pytest.approx(5403.6, abs=0.5)


def test_sydney_to_melbourne_airports_is_about_380_nm() -> None:
    assert haversine_nm(-33.9461, 151.177, -37.6733, 144.843) == pytest.approx(379.5, abs=2.0)


def test_distance_is_symmetric_and_zero_to_itself() -> None:
    assert haversine_nm(-37.0, 174.8, -33.9, 151.2) == pytest.approx(haversine_nm(-33.9, 151.2, -37.0, 174.8))
    assert haversine_nm(12.3, 45.6, 12.3, 45.6) == 0.0


def test_antipodal_points_do_not_fail_on_rounding() -> None:
    assert haversine_nm(10.0, 20.0, -10.0, -160.0) == pytest.approx(10807.2, abs=1.0)


def test_distance_across_the_antimeridian_is_the_short_way() -> None:
    assert haversine_nm(0.0, 179.5, 0.0, -179.5) == pytest.approx(60.04, abs=0.01)


def test_destination_point_travels_the_given_distance_on_the_given_course() -> None:
    lat, lon = destination_point(-33.9461, 151.177, 225.0, 100.0)
    assert haversine_nm(-33.9461, 151.177, lat, lon) == pytest.approx(100.0, abs=1e-6)
    assert initial_bearing_deg(-33.9461, 151.177, lat, lon) == pytest.approx(225.0, abs=1e-6)


def test_destination_point_wraps_longitude_across_the_antimeridian() -> None:
    lat, lon = destination_point(0.0, 179.9, 90.0, 30.0)
    assert -180.0 <= lon < -179.0


def test_initial_bearing_due_east_on_the_equator_is_ninety_degrees() -> None:
    assert initial_bearing_deg(0.0, 0.0, 0.0, 1.0) == pytest.approx(90.0)


def test_path_length_adds_up_the_legs() -> None:
    assert path_length_nm([(0.0, 0.0), (1.0, 0.0), (1.0, 0.0), (2.0, 0.0)]) == pytest.approx(120.08, abs=0.02)
    assert path_length_nm([]) == 0.0


def test_added_track_length_is_the_haversine_sum_to_the_last_bit() -> None:
    rng = random.Random(16)
    lat = [rng.uniform(-89.9, 89.9) for _ in range(2_000)]
    lon = [rng.uniform(-180.0, 180.0) for _ in range(2_000)]
    lat[10:20] = [lat[9]] * 10  # parked: zero-length segments
    lat[100], lon[100], lat[101], lon[101] = 10.0, 20.0, -10.0, -160.0  # antipodal
    for first, last, start in ((0, 1_999, 0.0), (5, 6, 1.25), (7, 7, 0.3), (300, 1_200, 17.0)):
        expected = start
        for k in range(first, last):
            expected += haversine_nm(lat[k], lon[k], lat[k + 1], lon[k + 1])
        assert add_track_length_nm(start, lat, lon, first, last) == expected
