"""Ground truth of sector stays: when each simulated connection was in each sector, from its true
trajectory (not from the 15 s snapshots the detector sees).

"In a sector" is the rule the detector (`core/sector_occupancy.py`) applies, restated here on its
own: the aircraft is *flying*, faster than taxi speed (groundspeed > 40 kt, as
`MovementRules.taxi_max_gs_kt`), and inside one of the sector's volumes: within its polygon (a
point on the edge counts) and lower <= altitude < upper, where a volume from the surface (lower limit
0 or below) has no floor. The test is written here again from the
`Airspace` volumes rather than borrowed from the detector's `SectorIndex`, so a placement bug there
shows as a scoring miss instead of being copied into the truth.

Timing comes from the trajectory itself: every connection is sampled every `SAMPLE_STEP_S` (1 s) of
its true, continuous path, and each change between two samples is solved by bisection on that path
(true great-circle position, altitude and speed) to about a millisecond. A stay shorter than a second
that falls wholly between two samples (a corner clipped in under a second) is the only thing missed.

A stay is cut where the connection ends (`logoff`, or `reconnect` if the session connects again) or
begins (`logon` / `reconnect`), and at the edges of the simulated window (`window`): the truth covers
the window from its start to the last snapshot, as the snapshots do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from vatstats_assets.core.airspace import Airspace
from vatstats_assets.sim.timefmt import utc_from_epoch
from vatstats_assets.sim.traffic import PilotSession
from vatstats_assets.sim.trajectory import Trajectory
from vatstats_assets.sim.truth import SectorStayTruth

# The rule of what counts, restated rather than imported from the detector (a test checks that the
# two agree): faster than taxi speed, 40 kt, as `MovementRules.taxi_max_gs_kt`.
FLYING_ABOVE_GS_KT = 40.0
SAMPLE_STEP_S = 1.0
# 10 halvings of a 1 s step: ~1 ms, far below the feed's 15 s.
_BISECTION_STEPS = 10


@dataclass(frozen=True)
class _Band:
    geometry: BaseGeometry
    lower_ft: float
    upper_ft: float
    west: float
    south: float
    east: float
    north: float


class SectorTruth:
    """The airspace, ready to tell from a trajectory when a connection entered and left each sector."""

    def __init__(self, airspace: Airspace) -> None:
        self.min_flying_gs_kt = FLYING_ABOVE_GS_KT
        self.sectors: tuple[str, ...] = tuple(sorted(airspace.sectors))
        self._bands: dict[str, list[_Band]] = {}
        for name in self.sectors:
            bands = []
            for volume_name in airspace.sectors[name].volumes:
                volume = airspace.volumes[volume_name]
                shapely.prepare(volume.geometry)
                # From the surface (0 or below): no floor, as for the detector.
                floor = -np.inf if volume.lower_ft <= 0 else float(volume.lower_ft)
                bands.append(_Band(volume.geometry, floor, float(volume.upper_ft),
                                   *volume.geometry.bounds))
            self._bands[name] = bands

    def inside(self, sector: str, latitude: np.ndarray, longitude: np.ndarray, altitude_ft: np.ndarray,
               groundspeed_kt: np.ndarray) -> np.ndarray:
        """Whether each point is a flying aircraft inside `sector` (a boolean per point)."""
        result = np.zeros(latitude.size, dtype=bool)
        flying = groundspeed_kt > self.min_flying_gs_kt
        for band in self._bands[sector]:
            candidates = np.flatnonzero(
                flying & ~result & (altitude_ft >= band.lower_ft) & (altitude_ft < band.upper_ft)
                & (longitude >= band.west) & (longitude <= band.east)
                & (latitude >= band.south) & (latitude <= band.north)
            )
            if candidates.size:
                result[candidates] = shapely.intersects_xy(band.geometry, longitude[candidates], latitude[candidates])
        return result

    def _crossings(self, sector: str, trajectory: Trajectory, base: float, outside_at: np.ndarray,
                   inside_at: np.ndarray) -> np.ndarray:
        """The instants between `outside_at` and `inside_at` (absolute seconds, pairwise, either order in
        time) where the aircraft crossed the sector's edge: bisection on the true trajectory."""
        outside, inside = outside_at.copy(), inside_at.copy()
        for _ in range(_BISECTION_STEPS):
            middle = (outside + inside) / 2
            is_inside = self.inside(sector, *trajectory.positions_at(middle - base))
            inside = np.where(is_inside, middle, inside)
            outside = np.where(is_inside, outside, middle)
        return (outside + inside) / 2

    def stays(self, session: PilotSession, window_start: float, window_end: float) -> list[SectorStayTruth]:
        """Every stay of the session's connections in every sector within [window_start, window_end]."""
        found: list[SectorStayTruth] = []
        trajectory, base = session.trajectory, session.base
        last = len(session.connections) - 1
        for number, connection in enumerate(session.connections):
            start, end = max(connection.logon, window_start), min(connection.logoff, window_end)
            if end <= start:
                continue
            times = np.append(np.arange(start, end, SAMPLE_STEP_S), end)
            latitude, longitude, altitude, speed = trajectory.positions_at(times - base)
            flying = speed > self.min_flying_gs_kt
            for sector in self.sectors:
                inside = np.zeros(times.size, dtype=bool)
                inside[flying] = self.inside(sector, latitude[flying], longitude[flying], altitude[flying],
                                             speed[flying])
                if not inside.any():
                    continue
                change = np.diff(inside.astype(np.int8))
                firsts = np.flatnonzero(change == 1) + 1
                lasts = np.flatnonzero(change == -1)
                if inside[0]:
                    firsts = np.insert(firsts, 0, 0)
                if inside[-1]:
                    lasts = np.append(lasts, times.size - 1)
                entered = times[firsts].copy()
                crossed_in = firsts > 0
                if crossed_in.any():
                    entered[crossed_in] = self._crossings(
                        sector, trajectory, base, times[firsts[crossed_in] - 1], times[firsts[crossed_in]])
                exited = times[lasts].copy()
                crossed_out = lasts < times.size - 1
                if crossed_out.any():
                    exited[crossed_out] = self._crossings(
                        sector, trajectory, base, times[lasts[crossed_out] + 1], times[lasts[crossed_out]])
                for k in range(firsts.size):
                    first, final = int(firsts[k]), int(lasts[k])
                    if first > 0:
                        # Not flying a second before, inside now: it sped up through 40 kt on the runway.
                        entry = "boundary" if flying[first - 1] else "takeoff"
                    elif start > connection.logon:
                        entry = "window"
                    else:
                        entry = "logon" if number == 0 else "reconnect"
                    if final < times.size - 1:
                        exit_ = "boundary" if flying[final + 1] else "landing"
                    elif end < connection.logoff:
                        exit_ = "window"
                    else:
                        exit_ = "logoff" if number == last else "reconnect"
                    found.append(SectorStayTruth(
                        sector, session.cid, session.callsign, connection.logon_datetime,
                        utc_from_epoch(round(float(entered[k]), 3)), utc_from_epoch(round(float(exited[k]), 3)),
                        entry, exit_,  # type: ignore[arg-type]
                    ))
        found.sort(key=lambda s: (s.entered_at, s.sector))
        return found
