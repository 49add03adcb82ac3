"""Which sectors each flight was in, and when: track points placed in 3-D volumes, vectorised.

A sector holds a *flying* aircraft: one moving faster than taxi speed
(`MovementRules.taxi_max_gs_kt`, 40 kt), inside one of the sector's volumes (its polygon, and
lower <= altitude < upper; a volume from the surface, lower limit 0 or below, has no floor).
Parked and taxiing aircraft load the tower, not a sector; and since ingestion stores a parked
aircraft's position once, not every 15 s, counting them would need positions that are not there.

Placement (`SectorIndex.place`) is vectorised over a day's points with shapely 2: per distinct
polygon, a bounding-box filter in numpy and one `intersects_xy` call over the points inside the box;
per volume, the altitude band; per sector, the union of its volumes. A point on a polygon's edge
counts as inside (`intersects_xy`): a sector cut at the antimeridian has an edge at 180 degrees, and
an aircraft reported exactly there must not drop out of it. `naive_place` is the
per-point, per-polygon baseline it is benchmarked against.

Stays (`sector_stays`) are runs of consecutive points of a chain of connections (reconnects
stitched as movement detection does) inside a sector. An entry or exit between two samples is
timed by bisection along the straight line between them (position, altitude and groundspeed
interpolated linearly), to within `_BISECTION_STEPS` halvings of the 15 s gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from vatstats_assets.core.airspace import Airspace
from vatstats_assets.core.movement_rules import DEFAULT_RULES, MovementRules
from vatstats_assets.core.movements import Connection, stitch_reconnects

Entry = Literal["boundary", "takeoff", "logon", "reconnect", "midnight"]
Exit = Literal["boundary", "landing", "logoff", "reconnect", "midnight"]

# 10 halvings of a 15 s gap time a crossing to 15 ms: far below the feed's own timing noise, and
# cheap (crossings are a few per flight, tested together in one vectorised call per halving).
_BISECTION_STEPS = 10
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Stay:
    """One stay of a connection in a sector, [entered_at, exited_at]."""

    sector: str
    cid: int
    callsign: str
    logon_time: datetime
    entered_at: datetime
    exited_at: datetime
    entry: Entry
    exit: Exit


@dataclass(frozen=True)
class TrackArrays:
    """The points of chains of connections, flattened: one row per point, in chain and time order."""

    seconds: np.ndarray  # POSIX seconds, float64
    latitude: np.ndarray
    longitude: np.ndarray
    altitude_ft: np.ndarray
    groundspeed_kt: np.ndarray
    chain: np.ndarray  # int: which chain the point belongs to
    connection: np.ndarray  # int: index into `connections`
    connections: tuple[Connection, ...]

    def __len__(self) -> int:
        return len(self.seconds)


def track_arrays(connections: Iterable[Connection], rules: MovementRules = DEFAULT_RULES) -> TrackArrays:
    """Stitch reconnects into chains and flatten their points (a dropped connection's samples that
    overlap its successor's are left out, as movement detection does)."""
    seconds: list[float] = []
    rows: list[tuple[float, float, int, int]] = []
    chain_ids: list[int] = []
    connection_ids: list[int] = []
    ordered: list[Connection] = []
    for chain_id, chain in enumerate(stitch_reconnects(connections, rules)):
        last = -np.inf
        for position, connection in enumerate(chain):
            successor = chain[position + 1].points[0].observed_at if position + 1 < len(chain) and chain[
                position + 1].points else None
            index = len(ordered)
            ordered.append(connection)
            for p in connection.points:
                t = (p.observed_at - _EPOCH).total_seconds()
                if t <= last or (successor is not None and p.observed_at >= successor):
                    continue
                last = t
                seconds.append(t)
                rows.append((p.latitude, p.longitude, p.altitude_ft, p.groundspeed_kt))
                chain_ids.append(chain_id)
                connection_ids.append(index)
    table = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    return TrackArrays(
        np.asarray(seconds, dtype=np.float64), table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy(),
        table[:, 3].copy(), np.asarray(chain_ids, dtype=np.int64), np.asarray(connection_ids, dtype=np.int64),
        tuple(ordered),
    )


def _floor_ft(lower_ft: int) -> float:
    """A volume's floor for placement. One from the surface (a lower limit of 0 or below) has none: an
    aircraft rolling out at a sea-level field reports a few feet below zero (altimeter noise, or a
    field below sea level) and is still in the sector above the runway; without this its stay
    would be cut in two seconds before it slows below 40 kt."""
    return -np.inf if lower_ft <= 0 else float(lower_ft)


class SectorIndex:
    """The airspace ready for vectorised placement: distinct polygons, volumes, sectors."""

    def __init__(self, airspace: Airspace, rules: MovementRules = DEFAULT_RULES) -> None:
        self.min_flying_gs_kt = rules.taxi_max_gs_kt
        self.sectors: tuple[str, ...] = tuple(sorted(airspace.sectors))
        self.polygons: list[BaseGeometry] = []
        by_wkb: dict[bytes, int] = {}
        volume_polygon: dict[str, int] = {}
        for name, volume in sorted(airspace.volumes.items()):
            key = shapely.to_wkb(volume.geometry)
            if key not in by_wkb:
                by_wkb[key] = len(self.polygons)
                geometry = volume.geometry
                shapely.prepare(geometry)
                self.polygons.append(geometry)
            volume_polygon[name] = by_wkb[key]
        self.bounds = np.array([g.bounds for g in self.polygons], dtype=np.float64).reshape(-1, 4)
        # (polygon, lower, upper, sector) for every volume of every sector
        self.bands: list[tuple[int, float, float, int]] = []
        for s, sector in enumerate(self.sectors):
            for volume_name in airspace.sectors[sector].volumes:
                volume = airspace.volumes[volume_name]
                self.bands.append((volume_polygon[volume_name], _floor_ft(volume.lower_ft), float(volume.upper_ft), s))

    def _inside_polygon(self, p: int, latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
        """Indices of the points inside polygon p (bounding box first, then the exact test)."""
        west, south, east, north = self.bounds[p]
        candidates = np.flatnonzero((longitude >= west) & (longitude <= east) & (latitude >= south) & (latitude <= north))
        if candidates.size == 0:
            return candidates
        inside = shapely.intersects_xy(self.polygons[p], longitude[candidates], latitude[candidates])
        return candidates[inside]

    def place(
        self, latitude: np.ndarray, longitude: np.ndarray, altitude_ft: np.ndarray, groundspeed_kt: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(point index, sector index) of every flying point in every sector it is in, sorted by
        sector then point, each pair once."""
        flying = np.flatnonzero(groundspeed_kt > self.min_flying_gs_kt)
        lat, lon, alt = latitude[flying], longitude[flying], altitude_ft[flying]
        inside_by_polygon: dict[int, np.ndarray] = {}
        points: list[np.ndarray] = []
        sectors: list[np.ndarray] = []
        for polygon, lower, upper, sector in self.bands:
            inside = inside_by_polygon.get(polygon)
            if inside is None:
                inside = inside_by_polygon[polygon] = self._inside_polygon(polygon, lat, lon)
            heights = alt[inside]
            chosen = inside[(heights >= lower) & (heights < upper)]
            points.append(flying[chosen])
            sectors.append(np.full(chosen.size, sector, dtype=np.int64))
        if not points:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        point_index, sector_index = np.concatenate(points), np.concatenate(sectors)
        # Two volumes of one sector may overlap: each (sector, point) once.
        packed = np.unique(sector_index * (len(latitude) + 1) + point_index)
        return packed % (len(latitude) + 1), packed // (len(latitude) + 1)

    def in_sector(
        self, sector: int, latitude: np.ndarray, longitude: np.ndarray, altitude_ft: np.ndarray,
        groundspeed_kt: np.ndarray,
    ) -> np.ndarray:
        """Whether each point is flying inside `sector` (a boolean per point)."""
        result = np.zeros(len(latitude), dtype=bool)
        flying = groundspeed_kt > self.min_flying_gs_kt
        for polygon, lower, upper, s in self.bands:
            if s != sector:
                continue
            band = flying & (altitude_ft >= lower) & (altitude_ft < upper)
            if band.any():
                result[band] |= shapely.intersects_xy(self.polygons[polygon], longitude[band], latitude[band])
        return result


def naive_place(
    index: SectorIndex, latitude: Sequence[float], longitude: Sequence[float], altitude_ft: Sequence[float],
    groundspeed_kt: Sequence[float],
) -> list[tuple[int, int]]:
    """The baseline: every point against every volume, one shapely call each (as the old service did
    in 2-D). Same answer as `SectorIndex.place`, as (point, sector) pairs."""
    pairs: set[tuple[int, int]] = set()
    for i, (lat, lon, alt, gs) in enumerate(zip(latitude, longitude, altitude_ft, groundspeed_kt, strict=True)):
        if gs <= index.min_flying_gs_kt:
            continue
        point = Point(lon, lat)
        for polygon, lower, upper, sector in index.bands:
            if lower <= alt < upper and index.polygons[polygon].intersects(point):
                pairs.add((i, sector))
    return sorted(pairs)


def _interpolate(tracks: TrackArrays, before: np.ndarray, fraction: np.ndarray) -> tuple[np.ndarray, ...]:
    """Time, position, altitude and groundspeed at `fraction` of the way from point `before` to the
    next one (longitude the short way round, across the antimeridian if need be)."""
    after = before + 1
    t = tracks.seconds[before] + fraction * (tracks.seconds[after] - tracks.seconds[before])
    lat = tracks.latitude[before] + fraction * (tracks.latitude[after] - tracks.latitude[before])
    dlon = (tracks.longitude[after] - tracks.longitude[before] + 540.0) % 360.0 - 180.0
    lon = (tracks.longitude[before] + fraction * dlon + 540.0) % 360.0 - 180.0
    alt = tracks.altitude_ft[before] + fraction * (tracks.altitude_ft[after] - tracks.altitude_ft[before])
    gs = tracks.groundspeed_kt[before] + fraction * (tracks.groundspeed_kt[after] - tracks.groundspeed_kt[before])
    return t, lat, lon, alt, gs


def _crossing_seconds(index: SectorIndex, sector: int, tracks: TrackArrays, before: np.ndarray,
                      entering: bool) -> np.ndarray:
    """When the aircraft crossed into (entering) or out of the sector between point `before` and the
    next: bisection on the line between them."""
    low = np.zeros(before.size)
    high = np.ones(before.size)
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        _, lat, lon, alt, gs = _interpolate(tracks, before, middle)
        inside = index.in_sector(sector, lat, lon, alt, gs)
        crossed = inside if entering else ~inside
        high = np.where(crossed, middle, high)
        low = np.where(crossed, low, middle)
    return _interpolate(tracks, before, (low + high) / 2)[0]


def sector_stays(
    tracks: TrackArrays, index: SectorIndex, *, window_start: datetime, window_end: datetime
) -> list[Stay]:
    """Every stay of every connection in every sector that overlaps [window_start, window_end),
    cut to the window (entry or exit `midnight` where cut). Pass the movement rules' context
    before and after the window, as for movements: it tells where each aircraft was at midnight."""
    points, sectors = index.place(tracks.latitude, tracks.longitude, tracks.altitude_ft, tracks.groundspeed_kt)
    start_s = (window_start - _EPOCH).total_seconds()
    end_s = (window_end - _EPOCH).total_seconds()
    flying = tracks.groundspeed_kt > index.min_flying_gs_kt
    stays: list[Stay] = []
    n = len(tracks)
    for sector in np.unique(sectors):
        member = points[sectors == sector]
        # Runs of consecutive points of one connection inside the sector.
        breaks = np.flatnonzero((np.diff(member) != 1) | (np.diff(tracks.connection[member]) != 0)) + 1
        firsts = member[np.concatenate(([0], breaks))]
        lasts = member[np.concatenate((breaks - 1, [member.size - 1]))]
        # Crossed in from the previous point of the same chain and connection: a boundary or a take-off.
        entered_from = firsts - 1
        has_before = (firsts > 0)
        has_before[has_before] = tracks.chain[entered_from[has_before]] == tracks.chain[firsts[has_before]]
        same_connection_before = has_before.copy()
        same_connection_before[has_before] = (
            tracks.connection[entered_from[has_before]] == tracks.connection[firsts[has_before]])
        has_after = lasts + 1 < n
        has_after[has_after] = tracks.chain[lasts[has_after] + 1] == tracks.chain[lasts[has_after]]
        same_connection_after = has_after.copy()
        same_connection_after[has_after] = (
            tracks.connection[lasts[has_after] + 1] == tracks.connection[lasts[has_after]])
        entered = tracks.seconds[firsts].copy()
        crossing_in = np.flatnonzero(same_connection_before)
        if crossing_in.size:
            entered[crossing_in] = _crossing_seconds(index, int(sector), tracks, entered_from[crossing_in], True)
        exited = tracks.seconds[lasts].copy()
        crossing_out = np.flatnonzero(same_connection_after)
        if crossing_out.size:
            exited[crossing_out] = _crossing_seconds(index, int(sector), tracks, lasts[crossing_out], False)
        name = index.sectors[int(sector)]
        for k in range(firsts.size):
            t_in, t_out = float(entered[k]), float(exited[k])
            if t_out < start_s or t_in >= end_s or (t_out == start_s and t_in < start_s):
                continue
            entry: Entry
            exit_: Exit
            if t_in < start_s:
                entry, t_in = "midnight", start_s
            elif same_connection_before[k]:
                entry = "boundary" if flying[firsts[k] - 1] else "takeoff"
            else:
                entry = "reconnect" if has_before[k] else "logon"
            if t_out >= end_s:
                exit_, t_out = "midnight", end_s
            elif same_connection_after[k]:
                exit_ = "boundary" if flying[lasts[k] + 1] else "landing"
            else:
                exit_ = "reconnect" if has_after[k] else "logoff"
            connection = tracks.connections[int(tracks.connection[firsts[k]])]
            stays.append(Stay(
                name, connection.cid, connection.callsign, connection.logon_time,
                _EPOCH + timedelta(seconds=round(t_in, 3)), _EPOCH + timedelta(seconds=round(t_out, 3)), entry, exit_,
            ))
    stays.sort(key=lambda s: (s.entered_at, s.sector, s.cid, s.callsign))
    return stays
