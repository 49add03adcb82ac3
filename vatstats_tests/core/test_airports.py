from __future__ import annotations

import random

import pytest

from vatstats_assets.core.airports import Airport, AirportIndex
from vatstats_assets.core.geo import haversine_nm


def field(icao: str, lat: float, lon: float, elevation: float = 0.0) -> Airport:
    return Airport(icao, icao, lat, lon, elevation, "XX")


def test_the_airportsdata_index_knows_real_airports_with_elevations() -> None:
    index = AirportIndex.from_airportsdata()
    sydney = index.get("YSSY")
    assert sydney is not None
    assert (sydney.country, sydney.elevation_ft) == ("AU", 21.0)
    assert sydney.latitude == pytest.approx(-33.946, abs=0.01)
    assert len(index) > 20_000


def test_the_default_index_is_loaded_once() -> None:
    assert AirportIndex.from_airportsdata() is AirportIndex.from_airportsdata(kinds=["icao"])


def test_an_unknown_airport_table_is_rejected_in_one_sentence() -> None:
    with pytest.raises(ValueError, match="Unknown airport table"):
        AirportIndex.from_airportsdata(kinds=("WMO",))


def test_get_ignores_case_and_spaces_and_knows_no_unknown_codes() -> None:
    index = AirportIndex([field("NZAA", -37.0, 174.8)])
    assert index.get(" nzaa ") is index.get("NZAA") is not None
    assert index.get("ZZZZ") is None and index.get(None) is None and index.get("") is None
    assert "nzaa" in index and "ZZZZ" not in index


def test_nearest_finds_the_airport_an_aircraft_is_parked_at() -> None:
    index = AirportIndex.from_airportsdata()
    found = index.nearest(-33.9400, 151.1750, max_nm=5.0)
    assert found is not None
    assert found[0].icao == "YSSY" and found[1] < 0.5


def test_nearest_returns_none_beyond_the_range() -> None:
    index = AirportIndex([field("AAAA", 0.0, 0.0)])
    assert index.nearest(0.0, 0.2, max_nm=5.0) is None  # 12 nm away
    assert index.nearest(0.0, 0.05, max_nm=5.0) is not None


def test_nearest_looks_across_cell_edges_and_the_antimeridian() -> None:
    index = AirportIndex([field("EAST", 0.0, 179.99), field("WEST", 0.0, -179.95), field("NRTH", 1.01, 10.0)])
    found = index.nearest(0.0, -179.99, max_nm=5.0)
    assert found is not None and found[0].icao == "EAST"
    found = index.nearest(0.99, 10.0, max_nm=5.0)
    assert found is not None and found[0].icao == "NRTH"


def test_nearest_works_near_the_poles() -> None:
    index = AirportIndex([field("POLE", 89.9, 0.0)])
    found = index.nearest(89.9, 170.0, max_nm=20.0)
    assert found is not None and found[0].icao == "POLE"


def test_nearest_agrees_with_a_scan_of_every_airport() -> None:
    index = AirportIndex.from_airportsdata()
    everything = list(index)
    rng = random.Random(42)
    for _ in range(200):
        hub = rng.choice(everything)
        lat, lon = hub.latitude + rng.uniform(-0.2, 0.2), hub.longitude + rng.uniform(-0.2, 0.2)
        # 10 nm is under 0.17 degrees of latitude: a cheap exact pre-filter for the full scan.
        band = [a for a in everything if abs(a.latitude - lat) < 0.17]
        within = [a for a in band if haversine_nm(lat, lon, a.latitude, a.longitude) <= 10.0]
        found = index.nearest(lat, lon, max_nm=10.0)
        if not within:
            assert found is None
            continue
        assert found is not None
        best = min(haversine_nm(lat, lon, a.latitude, a.longitude) for a in within)
        assert found[1] == pytest.approx(best)
        assert {a.icao for a, _ in index.within(lat, lon, 10.0)} == {a.icao for a in within}


def test_within_lists_airports_nearest_first() -> None:
    index = AirportIndex([field("FAR", 0.0, 0.05), field("NEAR", 0.0, 0.01), field("OUT", 0.0, 1.0)])
    assert [a.icao for a, _ in index.within(0.0, 0.0, 5.0)] == ["NEAR", "FAR"]


def test_ceiling_bounds_every_airport_elevation_within_reach() -> None:
    index = AirportIndex.from_airportsdata()
    everything = list(index)
    rng = random.Random(7)
    for _ in range(200):
        hub = rng.choice(everything)
        lat, lon = hub.latitude + rng.uniform(-0.5, 0.5), hub.longitude + rng.uniform(-0.5, 0.5)
        ceiling = index.ceiling_ft(lat, lon, 5.0)
        assert all(a.elevation_ft <= ceiling for a, _ in index.within(lat, lon, 5.0))


def test_the_first_definition_of_a_code_wins() -> None:
    index = AirportIndex([field("DUPE", 0.0, 0.0, 10.0), field("DUPE", 5.0, 5.0, 999.0)])
    assert len(index) == 1
    found = index.get("DUPE")
    assert found is not None and found.elevation_ft == 10.0
