"""Coverage per UTC hour and area: where traffic ran, who was on station, and who had someone to talk
to (pure: numpy, no I/O).

Traffic is sampled once a minute (the first snapshot of each minute): every pilot connection online
then, at its track position then, is one aircraft-minute in one area:
- `airport` ICAO: within AIRPORT_RADIUS_NM of an airport that had movements that day and below
  AIRPORT_CEILING_FT (on the ground, in the circuit, departing or arriving); the nearest one if several;
- `enroute` "all": everything else. (Enroute traffic by sector is sector_hourly_load's, where sector
  files are configured: it needs boundaries this table does without.)
An aircraft-minute is *covered* when the pilot was in an ATC contact at that instant (atc_contacts).

Staffed minutes say whether anybody was on station, whatever the pilots tuned: for an airport, the
minutes in which a controller providing service (core/coverage_rules.py) had a transceiver within its
station range of the airport; for `enroute`, the minutes in which a centre or flight-service station
was online. "When do we need more controllers" is the uncovered aircraft-minutes of an area and hour;
low staffed minutes beside them say nobody was there, high ones that pilots did not call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vatstats_assets.core.contacts import Tracks, position_at, span_ticks
from vatstats_assets.core.geo import haversine_nm_arrays

AIRPORT_RADIUS_NM = 10.0
"""An airport's area: the field, its circuit and the first and last minutes of a departure or an arrival."""

AIRPORT_CEILING_FT = 10_000
"""Above this an aircraft is enroute however near an airport it passes (an overflight)."""

ENROUTE = "enroute"
ENROUTE_AREA = "all"
MINUTE_MICROS = 60_000_000
MINUTES_PER_DAY = 1440
ENROUTE_FACILITIES = (1, 6)  # flight service, centre


@dataclass(frozen=True)
class Stations:
    """Runs of controllers providing service (transceiver_tunings joined with atc_positions)."""

    start: np.ndarray  # int64 micros: first snapshot of the run
    end: np.ndarray  # int64 micros: last snapshot of the run
    facility: np.ndarray  # int64
    range_nm: np.ndarray  # float64
    site_offsets: np.ndarray  # int64, one more than runs
    site_latitude: np.ndarray
    site_longitude: np.ndarray


@dataclass(frozen=True)
class Airports:
    icao: list[str]
    latitude: np.ndarray
    longitude: np.ndarray


@dataclass(frozen=True)
class Online:
    """Pilot connections with their time online, by the track's connection index."""

    connection: np.ndarray  # int64
    first_seen: np.ndarray  # int64 micros
    last_seen: np.ndarray  # int64 micros


@dataclass(frozen=True)
class Covered:
    """Contact intervals by the track's connection index (any order, may overlap)."""

    connection: np.ndarray
    start: np.ndarray
    end: np.ndarray


@dataclass(frozen=True)
class HourlyCoverage:
    hour: int
    area_kind: str
    area: str
    aircraft: int
    aircraft_minutes: int
    covered_aircraft_minutes: int
    uncovered_aircraft_minutes: int
    covered_share: float
    staffed_minutes: int
    peak_aircraft: int


def minute_samples(ticks: np.ndarray, day_start: int) -> tuple[np.ndarray, np.ndarray]:
    """The first snapshot of each minute of the day that has one: (its time, the minute of the day)."""
    minute = (ticks - day_start) // MINUTE_MICROS
    inside = (minute >= 0) & (minute < MINUTES_PER_DAY)
    ticks, minute = ticks[inside], minute[inside]
    first = np.concatenate(([True], minute[1:] != minute[:-1])) if len(minute) else np.zeros(0, dtype=bool)
    return ticks[first], minute[first]


def nearest_airport(latitude: np.ndarray, longitude: np.ndarray, altitude_ft: np.ndarray, airports: Airports
                    ) -> np.ndarray:
    """Index of the airport each point is in the area of, or -1 (enroute)."""
    found = np.full(len(latitude), -1, dtype=np.int64)
    best = np.full(len(latitude), np.inf)
    low = np.flatnonzero(altitude_ft < AIRPORT_CEILING_FT)
    box_lat = AIRPORT_RADIUS_NM / 60.0
    for i in range(len(airports.icao)):
        lat0, lon0 = airports.latitude[i], airports.longitude[i]
        box_lon = box_lat / max(np.cos(np.radians(lat0)), 0.01)
        # a cheap box first: a day has about two million low points and hundreds of airports
        near = low[(np.abs(latitude[low] - lat0) <= box_lat)
                   & (np.abs((longitude[low] - lon0 + 180.0) % 360.0 - 180.0) <= box_lon)]
        distance = haversine_nm_arrays(latitude[near], longitude[near], lat0, lon0)
        closer = (distance <= AIRPORT_RADIUS_NM) & (distance < best[near])
        found[near[closer]] = i
        best[near[closer]] = distance[closer]
    return found


def _inside(covered: Covered, connection: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Is each (connection, instant) inside one of the connection's contact intervals?"""
    if not len(covered.start):
        return np.zeros(len(at), dtype=bool)
    origin = min(int(covered.start.min()), int(at.min()) if len(at) else 0)
    order = np.lexsort((covered.start, covered.connection))
    keys = (covered.connection[order] << 38) | (covered.start[order] - origin)
    # the latest end among the connection's intervals started so far (intervals may overlap)
    ends = covered.end[order].copy()
    same = np.concatenate(([False], covered.connection[order][1:] == covered.connection[order][:-1]))
    group_start = np.flatnonzero(~same)
    for first, last in zip(group_start, [*group_start[1:], len(ends)], strict=True):
        ends[first:last] = np.maximum.accumulate(ends[first:last])
    found = np.searchsorted(keys, (connection << 38) | (at - origin), side="right") - 1
    valid = found >= 0
    found = np.maximum(found, 0)
    return valid & (covered.connection[order][found] == connection) & (ends[found] > at)  # [start, end)


def staffed_airports(stations: Stations, airports: Airports, samples: np.ndarray) -> np.ndarray:
    """(airport, sample): a station providing service reached the airport then."""
    staffed = np.zeros((len(airports.icao), len(samples)), dtype=bool)
    run, sample = span_ticks(stations.start, stations.end, samples)  # grouped by run, in order
    bounds = np.searchsorted(run, np.arange(len(stations.start) + 1))
    for r in range(len(stations.start)):
        sites = slice(stations.site_offsets[r], stations.site_offsets[r + 1])
        if sites.start == sites.stop:
            continue
        distance = haversine_nm_arrays(airports.latitude[:, None], airports.longitude[:, None],
                                       stations.site_latitude[sites][None, :], stations.site_longitude[sites][None, :])
        reached = np.flatnonzero((distance <= stations.range_nm[r]).any(axis=1))
        if len(reached):
            staffed[np.ix_(reached, sample[bounds[r]:bounds[r + 1]])] = True
    return staffed


def staffed_enroute(stations: Stations, samples: np.ndarray) -> np.ndarray:
    """Per sample: a centre or flight-service station was online."""
    enroute = np.isin(stations.facility, ENROUTE_FACILITIES)
    run, sample = span_ticks(stations.start[enroute], stations.end[enroute], samples)
    staffed = np.zeros(len(samples), dtype=bool)
    staffed[sample] = True
    return staffed


def hourly_coverage(samples: np.ndarray, minutes: np.ndarray, online: Online, tracks: Tracks, covered: Covered,
                    airports: Airports, stations: Stations) -> list[HourlyCoverage]:
    """Every (hour, area) with traffic, in (hour, area kind, area) order."""
    pilot, sample = span_ticks(online.first_seen, online.last_seen, samples)
    connection = online.connection[pilot]
    point = position_at(tracks, connection, samples[sample])
    located = point >= 0
    connection, sample, point = connection[located], sample[located], point[located]
    altitude = tracks.altitude_ft if tracks.altitude_ft is not None else np.zeros(len(tracks.micros), dtype=np.int64)
    airport = nearest_airport(tracks.latitude[point], tracks.longitude[point], altitude[point], airports)
    areas = len(airports.icao) + 1  # the airports, then enroute
    area = np.where(airport >= 0, airport, areas - 1)
    in_contact = _inside(covered, connection, samples[sample])
    hour = minutes[sample] // 60
    key = hour * areas + area
    size = 24 * areas
    aircraft_minutes = np.bincount(key, minlength=size)
    covered_minutes = np.bincount(key, weights=in_contact, minlength=size).astype(np.int64)
    distinct = np.unique((key << 32) | connection) >> 32 if len(key) else key
    aircraft = np.bincount(distinct, minlength=size)
    per_minute = np.bincount(minutes[sample] * areas + area, minlength=MINUTES_PER_DAY * areas)
    peak = per_minute.reshape(24, 60, areas).max(axis=1).reshape(size)
    staffed = np.zeros((24, areas), dtype=np.int64)
    sample_hour = minutes // 60
    for a, row in enumerate(staffed_airports(stations, airports, samples)):
        staffed[:, a] = np.bincount(sample_hour[row], minlength=24)
    staffed[:, areas - 1] = np.bincount(sample_hour[staffed_enroute(stations, samples)], minlength=24)
    rows = []
    for k in np.flatnonzero(aircraft_minutes):
        h, a = divmod(int(k), areas)
        kind, name = (ENROUTE, ENROUTE_AREA) if a == areas - 1 else ("airport", airports.icao[a])
        total, inside = int(aircraft_minutes[k]), int(covered_minutes[k])
        rows.append(HourlyCoverage(h, kind, name, int(aircraft[k]), total, inside, total - inside,
                                   inside / total, int(staffed[h, a]), int(peak[k])))
    return sorted(rows, key=lambda r: (r.hour, r.area_kind, r.area))
