"""core/contacts.py: a day's contacts from run overlaps, snapshot times and tracks, as numpy arrays."""

from __future__ import annotations

import numpy as np

from vatstats_assets.core.contacts import Candidates, Tracks, contact_ticks, position_at

SECOND = 1_000_000
TICKS = np.arange(0, 20 * 15 * SECOND, 15 * SECOND, dtype=np.int64)  # 20 snapshots, 15 s apart
GAP = 60 * SECOND


def candidates(*rows: tuple[int, int, int, int, float, list[tuple[float, float]]],
               ticks: np.ndarray = TICKS) -> Candidates:
    """(pair, pilot, first tick, last tick, range_nm, sites) each."""
    offsets = np.cumsum([0] + [len(r[5]) for r in rows])
    sites = [site for r in rows for site in r[5]]
    return Candidates(
        pair=np.array([r[0] for r in rows], dtype=np.int64), pilot=np.array([r[1] for r in rows], dtype=np.int64),
        start=np.array([ticks[r[2]] for r in rows], dtype=np.int64),
        end=np.array([ticks[r[3]] for r in rows], dtype=np.int64),
        range_nm=np.array([r[4] for r in rows]), site_offsets=offsets.astype(np.int64),
        site_latitude=np.array([s[0] for s in sites], dtype=np.float64),
        site_longitude=np.array([s[1] for s in sites], dtype=np.float64))


def track(points: list[tuple[int, int, float, float]]) -> Tracks:
    """(connection, tick, latitude, longitude) each, in (connection, time) order."""
    return Tracks(np.array([p[0] for p in points], dtype=np.int64), np.array([TICKS[p[1]] for p in points]),
                  np.array([p[2] for p in points]), np.array([p[3] for p in points]))


def spans(found) -> list[tuple[int, int, int]]:
    return list(zip(found.pair.tolist(), found.first_tick.tolist(), found.last_tick.tolist(), strict=True))


def test_a_parked_aircraft_is_where_its_last_track_point_put_it() -> None:
    tracks = track([(0, 2, -33.9, 151.2), (1, 0, 10.0, 10.0), (1, 5, 11.0, 11.0)])
    found = position_at(tracks, np.array([0, 0, 1, 1, 2]), TICKS[[1, 9, 4, 7, 3]])
    assert found.tolist() == [-1, 0, 1, 2, -1]


def test_a_contact_is_the_ticks_in_range_of_any_transceiver_of_the_station() -> None:
    # the aircraft flies away from the first site and into range of the second one
    points = [(0, t, -33.9, 151.2 + 0.5 * t) for t in range(20)]
    near_sites = [(-33.9, 151.2), (-33.9, 160.0)]
    found = contact_ticks(candidates((0, 0, 0, 19, 40.0, near_sites)), TICKS, track(points), GAP)
    # 0.5 degrees of longitude at 34 S are about 25 nm: in range of the first site for ticks 0-1,
    # of the second (160.0 E) from tick 16 on
    assert spans(found) == [(0, 0, 1), (0, 16, 19)]


def test_consecutive_runs_of_one_pair_make_one_contact() -> None:
    # the controller's transceivers moved at tick 8: two runs, the same pair, one contact
    sites = [(-33.9, 151.2)]
    points = [(0, 0, -33.9, 151.2)]
    found = contact_ticks(candidates((4, 0, 2, 8, 20.0, sites), (4, 0, 8, 12, 20.0, sites)), TICKS, track(points), GAP)
    assert spans(found) == [(4, 2, 12)]


def test_a_feed_outage_longer_than_the_run_gap_ends_a_contact() -> None:
    ticks = np.concatenate([TICKS[:5], TICKS[5:] + 120 * SECOND])
    sites = [(-33.9, 151.2)]
    found = contact_ticks(candidates((0, 0, 0, 19, 20.0, sites), ticks=ticks), ticks, track([(0, 0, -33.9, 151.2)]), GAP)
    assert spans(found) == [(0, 0, 4), (0, 5, 19)]


def test_an_aircraft_without_a_track_point_yet_is_in_contact_with_nobody() -> None:
    sites = [(-33.9, 151.2)]
    found = contact_ticks(candidates((0, 0, 0, 9, 20.0, sites)), TICKS, track([(0, 6, -33.9, 151.2)]), GAP)
    assert spans(found) == [(0, 6, 9)]
