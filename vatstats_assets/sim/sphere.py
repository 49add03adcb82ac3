"""Great-circle helpers for the simulator (a sphere is plenty for synthetic traffic).

Kept inside `sim/` on purpose: the simulator must not depend on the detection code it is
used to score, so it does its own (small) geometry.
"""

from __future__ import annotations

import math

EARTH_RADIUS_NM = 3440.065

Vector = tuple[float, float, float]


def to_vector(lat_deg: float, lon_deg: float) -> Vector:
    """Unit vector of a position (x towards lon 0 on the equator, z towards the north pole)."""
    lat = math.radians(lat_deg)
    lon = math.radians(lon_deg)
    cos_lat = math.cos(lat)
    return (cos_lat * math.cos(lon), cos_lat * math.sin(lon), math.sin(lat))


def to_lat_lon(vector: Vector) -> tuple[float, float]:
    x, y, z = vector
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def central_angle(a: Vector, b: Vector) -> float:
    """Angle between two unit vectors in radians; atan2 form stays accurate for tiny angles."""
    cx = a[1] * b[2] - a[2] * b[1]
    cy = a[2] * b[0] - a[0] * b[2]
    cz = a[0] * b[1] - a[1] * b[0]
    return math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2])


def distance_nm(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return central_angle(to_vector(lat1, lon1), to_vector(lat2, lon2)) * EARTH_RADIUS_NM


def initial_bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlon = math.radians(lon2 - lon1)
    y = math.sin(dlon) * math.cos(phi2)
    x = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlon)
    return math.degrees(math.atan2(y, x)) % 360.0


def destination(lat: float, lon: float, bearing_deg: float, dist_nm: float) -> tuple[float, float]:
    """The point `dist_nm` away from (lat, lon) on the initial bearing `bearing_deg`."""
    delta = dist_nm / EARTH_RADIUS_NM
    theta = math.radians(bearing_deg)
    phi1 = math.radians(lat)
    lam1 = math.radians(lon)
    sin_phi2 = math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    phi2 = math.asin(max(-1.0, min(1.0, sin_phi2)))
    lam2 = lam1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * sin_phi2,
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540.0) % 360.0 - 180.0


def interpolate(a: Vector, b: Vector, angle: float, fraction: float) -> Vector:
    """The point `fraction` of the way from a to b along their great circle (`angle` = central angle)."""
    if angle < 1e-12:
        return a
    sin_angle = math.sin(angle)
    ka = math.sin((1.0 - fraction) * angle) / sin_angle
    kb = math.sin(fraction * angle) / sin_angle
    return (ka * a[0] + kb * b[0], ka * a[1] + kb * b[1], ka * a[2] + kb * b[2])


def angle_difference_deg(a: float, b: float) -> float:
    """Smallest absolute difference between two headings (0..180)."""
    return abs((a - b + 180.0) % 360.0 - 180.0)
