"""core/coverage_hourly.py: traffic per hour and area, sampled once a minute, covered and staffed."""

from __future__ import annotations

import numpy as np

from vatstats_assets.core.contacts import Tracks
from vatstats_assets.core.coverage_hourly import (
    Airports,
    Covered,
    Online,
    Stations,
    hourly_coverage,
    minute_samples,
    nearest_airport,
)

MINUTE = 60_000_000
TICKS = np.arange(0, 3 * 60 * MINUTE, 15_000_000, dtype=np.int64)  # three hours of 15 s snapshots
SYDNEY = (-33.946, 151.177)
MELBOURNE = (-37.673, 144.843)
AIRPORTS = Airports(["YMML", "YSSY"], np.array([MELBOURNE[0], SYDNEY[0]]), np.array([MELBOURNE[1], SYDNEY[1]]))


def stations(*runs: tuple[int, int, int, float, tuple[float, float]]) -> Stations:
    """(first minute, last minute, facility, range_nm, site) each."""
    return Stations(np.array([r[0] * MINUTE for r in runs], dtype=np.int64),
                    np.array([r[1] * MINUTE for r in runs], dtype=np.int64),
                    np.array([r[2] for r in runs], dtype=np.int64), np.array([r[3] for r in runs]),
                    np.arange(len(runs) + 1, dtype=np.int64), np.array([r[4][0] for r in runs]),
                    np.array([r[4][1] for r in runs]))


def test_each_minute_is_sampled_at_its_first_snapshot_and_a_silent_minute_not_at_all() -> None:
    ticks = np.concatenate([TICKS[:8], TICKS[12:16]])  # minute 2 had no snapshot
    samples, minutes = minute_samples(ticks, 0)
    assert minutes.tolist() == [0, 1, 3] and samples.tolist() == [0, MINUTE, 3 * MINUTE]


def test_an_aircraft_is_in_an_airports_area_near_it_and_low_and_enroute_otherwise() -> None:
    lat = np.array([SYDNEY[0], SYDNEY[0] + 0.1, SYDNEY[0], -30.0, MELBOURNE[0]])
    lon = np.array([SYDNEY[1], SYDNEY[1], SYDNEY[1], 150.0, MELBOURNE[1] + 0.3])
    alt = np.array([0, 3000, 35000, 2000, 1000])
    # 6 nm north of Sydney low: Sydney; overhead at FL350: enroute; nowhere near: enroute; 14 nm from Melbourne
    assert nearest_airport(lat, lon, alt, AIRPORTS).tolist() == [1, 1, -1, -1, -1]


def test_an_hour_counts_aircraft_minutes_covered_and_staffed_per_area() -> None:
    samples, minutes = minute_samples(TICKS, 0)
    # pilot 0 parked at Sydney for three hours; pilot 1 enroute during the second hour only
    tracks = Tracks(np.array([0, 1], dtype=np.int64), np.array([0, 60 * MINUTE], dtype=np.int64),
                    np.array([SYDNEY[0], -30.0]), np.array([SYDNEY[1], 140.0]), np.array([0, 36000]))
    online = Online(np.array([0, 1]), np.array([0, 60 * MINUTE]), np.array([179 * MINUTE, 119 * MINUTE]))
    # pilot 0 talks to the tower from minute 10 to 40 (two contacts overlapping), pilot 1 never
    covered = Covered(np.array([0, 0]), np.array([10 * MINUTE, 20 * MINUTE]), np.array([30 * MINUTE, 40 * MINUTE]))
    on_air = stations((0, 44, 4, 50.0, SYDNEY), (90, 150, 6, 600.0, (-30.0, 140.0)))
    rows = {(r.hour, r.area): r for r in hourly_coverage(samples, minutes, online, tracks, covered, AIRPORTS, on_air)}
    assert set(rows) == {(0, "YSSY"), (1, "YSSY"), (1, "all"), (2, "YSSY")}
    first = rows[(0, "YSSY")]
    assert (first.aircraft, first.aircraft_minutes, first.covered_aircraft_minutes, first.staffed_minutes) == (1, 60, 30, 45)
    assert first.uncovered_aircraft_minutes == 30 and first.covered_share == 0.5
    enroute = rows[(1, "all")]
    assert (enroute.area_kind, enroute.aircraft_minutes, enroute.covered_aircraft_minutes, enroute.staffed_minutes) == (
        "enroute", 60, 0, 30)
    assert rows[(2, "YSSY")].aircraft_minutes == 60 and rows[(2, "YSSY")].staffed_minutes == 0
    assert rows[(1, "YSSY")].peak_aircraft == 1
