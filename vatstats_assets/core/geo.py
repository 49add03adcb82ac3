"""Great-circle geometry in nautical miles, the unit of every distance in aviation."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

# Mean Earth radius in nautical miles (6,371.0088 km / 1.852 km per nm).
EARTH_RADIUS_NM = 3440.065

_RADIANS = math.pi / 180.0


def haversine_nm(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in nautical miles between two points in decimal degrees."""
    phi1 = lat1 * _RADIANS
    phi2 = lat2 * _RADIANS
    half_dphi = (lat2 - lat1) * _RADIANS * 0.5
    half_dlambda = (lon2 - lon1) * _RADIANS * 0.5
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    # min() guards against a rounding error pushing `a` a hair above 1 for antipodal points.
    return 2.0 * EARTH_RADIUS_NM * math.asin(math.sqrt(min(a, 1.0)))


def add_track_length_nm(total: float, lat: Sequence[float], lon: Sequence[float], first: int, last: int) -> float:
    """`total` plus haversine_nm of each segment k..k+1 for first <= k < last, added one by one in
    order: the same float, bit for bit, as the loop over haversine_nm (a completed flight sums
    hundreds of segments, a day's flights about eight million: 4 s of a day's summaries as a loop).
    numpy does haversine_nm's arithmetic, operation for operation (its sin, cos and sqrt are the C
    library's values; its arcsin is not, so math.asin does that), and adds up in order (accumulate)."""
    if last - first < _SHORTEST_VECTORISED:
        for k in range(first, last):
            total += haversine_nm(lat[k], lon[k], lat[k + 1], lon[k + 1])
        return total
    lat_deg = np.asarray(lat[first:last + 1], dtype=np.float64)
    lon_deg = np.asarray(lon[first:last + 1], dtype=np.float64)
    lat1, lat2 = lat_deg[:-1], lat_deg[1:]
    a = (np.sin((lat2 - lat1) * _RADIANS * 0.5) ** 2
         + np.cos(lat1 * _RADIANS) * np.cos(lat2 * _RADIANS) * np.sin((lon_deg[1:] - lon_deg[:-1]) * _RADIANS * 0.5) ** 2)
    roots = np.sqrt(np.minimum(a, 1.0)).tolist()
    segments = np.fromiter(map(math.asin, roots), dtype=np.float64, count=len(roots)) * (2.0 * EARTH_RADIUS_NM)
    return float(np.add.accumulate(np.concatenate(([total], segments)))[-1])


# Below this many segments the loop is as quick as the arrays.
_SHORTEST_VECTORISED = 16


def initial_bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """True course in degrees [0, 360) to fly from the first point towards the second."""
    phi1 = lat1 * _RADIANS
    phi2 = lat2 * _RADIANS
    dlambda = (lon2 - lon1) * _RADIANS
    y = math.sin(dlambda) * math.cos(phi2)
    x = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlambda)
    return math.degrees(math.atan2(y, x)) % 360.0


def destination_point(lat: float, lon: float, bearing_deg: float, distance_nm: float) -> tuple[float, float]:
    """The point reached after `distance_nm` along a great circle from (lat, lon) on the given course."""
    delta = distance_nm / EARTH_RADIUS_NM
    theta = bearing_deg * _RADIANS
    phi1 = lat * _RADIANS
    lambda1 = lon * _RADIANS
    sin_phi2 = math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    phi2 = math.asin(max(-1.0, min(1.0, sin_phi2)))
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * sin_phi2,
    )
    # Normalise the longitude to [-180, 180) so crossing the antimeridian stays a valid coordinate.
    return math.degrees(phi2), (math.degrees(lambda2) + 540.0) % 360.0 - 180.0


def path_length_nm(positions: Iterable[tuple[float, float]]) -> float:
    """Length in nautical miles of the polyline through (lat, lon) positions, in order."""
    total = 0.0
    previous: tuple[float, float] | None = None
    for position in positions:
        if previous is not None:
            total += haversine_nm(previous[0], previous[1], position[0], position[1])
        previous = position
    return total


def haversine_nm_arrays(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """haversine_nm element by element over numpy arrays (or scalars broadcast against them)."""
    phi1 = np.radians(lat1)
    phi2 = np.radians(lat2)
    a = (np.sin((phi2 - phi1) * 0.5) ** 2
         + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lon2 - lon1) * 0.5) ** 2)
    return 2.0 * EARTH_RADIUS_NM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
