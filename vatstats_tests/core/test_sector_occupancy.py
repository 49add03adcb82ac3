"""Track points placed in 3-D sectors, and stays timed between snapshots (synthetic fixture airspace)."""

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from vatstats_assets.core.airspace import load_airspace
from vatstats_assets.core.movements import Connection, TrackPoint
from vatstats_assets.core.sector_occupancy import SectorIndex, naive_place, sector_stays, track_arrays
from vatstats_tests.core.tracks import utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "airspace"
DAY = utc("2026-11-20 00:00:00")


@pytest.fixture(scope="module")
def index() -> SectorIndex:
    return SectorIndex(load_airspace(FIXTURES))


def straight(start: datetime, lat: float, lon: float, *, dlon_per_sample: float, samples: int,
             alt: float = 30000, gs: float = 450, dlat_per_sample: float = 0.0, dalt_per_sample: float = 0.0,
             every_s: int = 15) -> list[TrackPoint]:
    points = []
    for k in range(samples):
        longitude = (lon + k * dlon_per_sample + 540.0) % 360.0 - 180.0
        points.append(TrackPoint(start + timedelta(seconds=every_s * k), lat + k * dlat_per_sample, longitude,
                                 round(alt + k * dalt_per_sample), round(gs)))
    return points


def connection(points: list[TrackPoint], cid: int = 1, callsign: str = "QFA1", logon: datetime | None = None) -> Connection:
    return Connection(cid, callsign, logon or points[0].observed_at, "B738", "YSSY", "YMML", tuple(points))


def stays_of(connections, start=DAY, end=DAY + timedelta(days=1), *, index):
    return sector_stays(track_arrays(connections), index, window_start=start, window_end=end)


def test_vectorised_placement_agrees_with_the_naive_per_point_test(index: SectorIndex) -> None:
    rng = np.random.default_rng(3)
    n = 4000
    lat = rng.uniform(-45, -5, n)
    lon = rng.uniform(-180, 180, n)
    lon[: n // 2] = rng.uniform(135, 160, n // 2)
    alt = rng.uniform(0, 45000, n)
    gs = rng.uniform(0, 500, n)
    points, sectors = index.place(lat, lon, alt, gs)
    assert sorted(zip(points.tolist(), sectors.tolist(), strict=True)) == naive_place(index, lat, lon, alt, gs)
    assert len(points) > 1000


def test_the_terminal_area_and_the_sector_above_it_split_by_altitude(index: SectorIndex) -> None:
    sydney = (-33.95, 151.18)
    points, sectors = index.place(np.array([sydney[0]] * 3), np.array([sydney[1]] * 3),
                                  np.array([5000.0, 20000.0, 5000.0]), np.array([250.0, 250.0, 10.0]))
    names = {(int(p), index.sectors[int(s)]) for p, s in zip(points, sectors, strict=True)}
    assert {n for p, n in names if p == 0} == {"SY_APP", "YMMM"}
    assert {n for p, n in names if p == 1} == {"ARL", "YMMM"}
    assert not any(p == 2 for p, _ in names)  # taxiing: in no sector


def test_a_boundary_crossing_is_timed_between_the_snapshots(index: SectorIndex) -> None:
    # Eastbound at 0.05 degrees per 15 s from 147.0 E: 147.5 E is reached after exactly 150 s.
    track = straight(utc("2026-11-20 06:00:00"), -37.0, 147.0, dlon_per_sample=0.05, samples=30)
    stays = [s for s in stays_of([connection(track)], index=index) if s.sector in ("ELW", "ARL")]
    assert [(s.sector, s.entry, s.exit) for s in stays] == [("ELW", "logon", "boundary"), ("ARL", "boundary", "logoff")]
    crossing = utc("2026-11-20 06:02:30")
    assert abs((stays[0].exited_at - crossing).total_seconds()) < 0.1
    assert abs((stays[1].entered_at - crossing).total_seconds()) < 0.1


def test_climbing_out_of_the_terminal_area_enters_the_sector_above_at_its_lower_limit(index: SectorIndex) -> None:
    # Over Sydney, climbing 500 ft per 15 s from 10,000 ft: through 12,500 ft after 75 s.
    track = straight(utc("2026-11-20 06:00:00"), -33.9, 151.0, dlon_per_sample=0.0001, samples=20,
                     alt=10000, dalt_per_sample=500, gs=250)
    stays = {s.sector: s for s in stays_of([connection(track)], index=index)}
    assert stays["SY_APP"].exit == "boundary" and stays["ARL"].entry == "boundary"
    assert abs((stays["ARL"].entered_at - utc("2026-11-20 06:01:15")).total_seconds()) < 0.1


def test_a_take_off_inside_a_sector_starts_a_stay_there(index: SectorIndex) -> None:
    start = utc("2026-11-20 06:00:00")
    track = [TrackPoint(start, -33.95, 151.18, 21, 0), TrackPoint(start + timedelta(seconds=15), -33.951, 151.18, 21, 20),
             *straight(start + timedelta(seconds=30), -33.96, 151.18, dlon_per_sample=0.001, samples=5, alt=500,
                       gs=160)]
    stays = [s for s in stays_of([connection(track)], index=index) if s.sector == "SY_APP"]
    assert [(s.entry, s.exit) for s in stays] == [("takeoff", "logoff")]
    assert start + timedelta(seconds=15) < stays[0].entered_at < start + timedelta(seconds=30)


def test_a_flight_across_the_antimeridian_stays_in_one_sector(index: SectorIndex) -> None:
    track = straight(utc("2026-11-20 06:00:00"), -17.0, 179.5, dlon_per_sample=0.05, samples=20)
    stays = [s for s in stays_of([connection(track)], index=index) if s.sector == "NFFF_OCN"]
    assert [(s.entry, s.exit) for s in stays] == [("logon", "logoff")]
    assert stays[0].exited_at == track[-1].observed_at


def test_a_stay_across_midnight_is_cut_into_each_day(index: SectorIndex) -> None:
    track = straight(utc("2026-11-20 23:55:00"), -37.0, 140.0, dlon_per_sample=0.02, samples=40)
    flight = [connection(track)]
    first = [s for s in stays_of(flight, index=index) if s.sector == "ELW"]
    second = [s for s in stays_of(flight, DAY + timedelta(days=1), DAY + timedelta(days=2), index=index)
              if s.sector == "ELW"]
    assert [(s.entry, s.exit, s.exited_at) for s in first] == [("logon", "midnight", DAY + timedelta(days=1))]
    assert [(s.entry, s.exit, s.entered_at) for s in second] == [("midnight", "logoff", DAY + timedelta(days=1))]


def test_a_reconnect_ends_one_connections_stay_and_starts_the_next_ones(index: SectorIndex) -> None:
    start = utc("2026-11-20 06:00:00")
    before = straight(start, -37.0, 140.0, dlon_per_sample=0.05, samples=10)
    after = straight(start + timedelta(minutes=5), -37.0, 140.0 + 0.05 * 20, dlon_per_sample=0.05, samples=10)
    stays = [s for s in stays_of([connection(before), connection(after, logon=start + timedelta(minutes=4, seconds=50))],
                                 index=index) if s.sector == "ELW"]
    assert [(s.entry, s.exit) for s in stays] == [("logon", "reconnect"), ("reconnect", "logoff")]
    assert stays[0].logon_time != stays[1].logon_time


def test_a_flight_seen_only_on_the_ground_is_in_no_sector(index: SectorIndex) -> None:
    start = utc("2026-11-20 06:00:00")
    track = [TrackPoint(start + timedelta(seconds=15 * k), -33.95, 151.18 + 0.0001 * k, 21, 12) for k in range(10)]
    assert stays_of([connection(track)], index=index) == []


def test_a_landing_roll_reported_below_sea_level_stays_in_the_sector_from_the_surface(index: SectorIndex) -> None:
    # Rolling out at a sea-level field in ARL (a volume from 0 ft): the feed's altitude wanders to -1 ft
    # at 90 kt. Found in the 24-hour scoring run, where this cut one stay in two 2 s before the landing.
    points = straight(DAY, -35.0, 150.0, dlon_per_sample=0.003, samples=6, alt=0, gs=130)
    points[3] = TrackPoint(points[3].observed_at, points[3].latitude, points[3].longitude, -1, 90)
    points[5] = TrackPoint(points[5].observed_at, points[5].latitude, points[5].longitude, 9, 20)
    stays = [s for s in stays_of([connection(points)], index=index) if s.sector == "ARL"]
    assert [(s.entry, s.exit) for s in stays] == [("logon", "landing")]
