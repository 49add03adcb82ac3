"""Kinematic trajectories: where an aircraft is at any instant, as a pure function of time.

A trajectory is a chain of segments. Each segment is one great-circle leg flown with a constant
acceleration (so speed changes linearly in time) and a constant vertical rate. Because every
segment is analytic, a snapshot at any time costs a few floating-point operations per pilot, and
the exact instant of every liftoff and touchdown is known (it is a segment boundary), which is
what makes the ground truth exact.

Segments live in one flat `array('d')` per trajectory (16 doubles each) rather than as objects:
a 10,000-pilot simulation keeps tens of thousands of them alive.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

import numpy as np

from vatstats_assets.sim.sphere import (
    EARTH_RADIUS_NM,
    central_angle,
    destination,
    initial_bearing_deg,
    to_vector,
)

# Offsets inside one segment record.
_T0, _T1, _AX, _AY, _AZ, _BX, _BY, _BZ, _ANGLE, _LENGTH, _V0, _ACCEL, _ALT0, _ALT_RATE, _HEADING, _GROUND = range(16)
_STRIDE = 16
_DEG = 180.0 / math.pi


@dataclass(frozen=True, slots=True)
class AircraftState:
    latitude: float
    longitude: float
    altitude_ft: float
    groundspeed_kt: float
    heading_deg: float
    on_ground: bool


class Trajectory:
    """An immutable chain of segments with a cursor that makes monotonic time queries O(1)."""

    __slots__ = ("_data", "_count", "_cursor")

    def __init__(self, data: array) -> None:
        if not data:
            raise ValueError("a trajectory needs at least one segment")
        self._data = data
        self._count = len(data) // _STRIDE
        self._cursor = 0

    @property
    def start(self) -> float:
        return self._data[_T0]

    @property
    def end(self) -> float:
        return self._data[(self._count - 1) * _STRIDE + _T1]

    def _segment_base(self, t: float) -> int:
        data = self._data
        i = self._cursor
        last = self._count - 1
        while i < last and t >= data[i * _STRIDE + _T1]:
            i += 1
        while i > 0 and t < data[i * _STRIDE + _T0]:
            i -= 1
        self._cursor = i
        return i * _STRIDE

    def state_at(self, t: float) -> tuple[float, float, float, float, float, bool]:
        """(latitude, longitude, altitude_ft, groundspeed_kt, heading_deg, on_ground) at POSIX time t."""
        data = self._data
        base = self._segment_base(t)
        t0 = data[base + _T0]
        dt = t - t0
        duration = data[base + _T1] - t0
        if dt < 0.0:
            dt = 0.0
        elif dt > duration:
            dt = duration
        v0 = data[base + _V0]
        accel = data[base + _ACCEL]
        speed = v0 + accel * dt
        altitude = data[base + _ALT0] + data[base + _ALT_RATE] * dt
        on_ground = data[base + _GROUND] != 0.0
        angle = data[base + _ANGLE]
        ax, ay, az = data[base + _AX], data[base + _AY], data[base + _AZ]
        if angle <= 0.0:
            return (
                math.atan2(az, math.hypot(ax, ay)) * _DEG,
                math.atan2(ay, ax) * _DEG,
                altitude,
                speed,
                data[base + _HEADING],
                on_ground,
            )
        length = data[base + _LENGTH]
        fraction = (v0 * dt + 0.5 * accel * dt * dt) / 3600.0 / length
        if fraction > 1.0:
            fraction = 1.0
        bx, by, bz = data[base + _BX], data[base + _BY], data[base + _BZ]
        sin_angle = math.sin(angle)
        ka = math.sin((1.0 - fraction) * angle) / sin_angle
        kb = math.sin(fraction * angle) / sin_angle
        x = ka * ax + kb * bx
        y = ka * ay + kb * by
        z = ka * az + kb * bz
        r = math.hypot(x, y)
        # Heading from the tangent of the great circle at this point: no extra trigonometry.
        ta = -math.cos((1.0 - fraction) * angle)
        tb = math.cos(fraction * angle)
        dx = ta * ax + tb * bx
        dy = ta * ay + tb * by
        dz = ta * az + tb * bz
        if r > 1e-12:
            east = (-dx * y + dy * x) / r
            north = dz * r - z * (dx * x + dy * y) / r
            heading = math.atan2(east, north) * _DEG % 360.0
        else:  # exactly over a pole
            heading = data[base + _HEADING]
        return math.atan2(z, r) * _DEG, math.atan2(y, x) * _DEG, altitude, speed, heading, on_ground

    def positions_at(self, times: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(latitude, longitude, altitude_ft, groundspeed_kt) at each of `times` (seconds, any order):
        the same formulas as `state_at`, vectorised (for the sector ground truth, sampled every second)."""
        data = np.frombuffer(self._data, dtype=np.float64).reshape(-1, _STRIDE)
        t = np.asarray(times, dtype=np.float64)
        # The segment whose [t0, t1) holds t, as `state_at` picks it (the first before the start, the last after the end).
        segment = data[np.minimum(np.searchsorted(data[:, _T1], t, side="right"), self._count - 1)]
        t0 = segment[:, _T0]
        dt = np.clip(t - t0, 0.0, segment[:, _T1] - t0)
        speed = segment[:, _V0] + segment[:, _ACCEL] * dt
        altitude = segment[:, _ALT0] + segment[:, _ALT_RATE] * dt
        angle = segment[:, _ANGLE]
        moving = angle > 0.0
        length = np.where(moving, segment[:, _LENGTH], 1.0)
        fraction = np.where(moving, np.minimum(1.0, (segment[:, _V0] * dt + 0.5 * segment[:, _ACCEL] * dt * dt)
                                                / 3600.0 / length), 0.0)
        sin_angle = np.where(moving, np.sin(angle), 1.0)
        ka = np.where(moving, np.sin((1.0 - fraction) * angle) / sin_angle, 1.0)
        kb = np.where(moving, np.sin(fraction * angle) / sin_angle, 0.0)
        x = ka * segment[:, _AX] + kb * segment[:, _BX]
        y = ka * segment[:, _AY] + kb * segment[:, _BY]
        z = ka * segment[:, _AZ] + kb * segment[:, _BZ]
        return np.degrees(np.arctan2(z, np.hypot(x, y))), np.degrees(np.arctan2(y, x)), altitude, speed

    def state(self, t: float) -> AircraftState:
        return AircraftState(*self.state_at(t))

    def segment_count(self) -> int:
        return self._count


class TrajectoryBuilder:
    """Appends segments from the current state: `taxi_to`, `fly_to`, `hold`... each returns the end time."""

    def __init__(self, t: float, latitude: float, longitude: float, altitude_ft: float, heading_deg: float) -> None:
        self.t = t
        self.latitude = latitude
        self.longitude = longitude
        self.altitude_ft = altitude_ft
        self.heading_deg = heading_deg
        self.speed_kt = 0.0
        self._data = array("d")

    def hold(self, seconds: float, *, on_ground: bool = True) -> float:
        """Stay put (parked, holding short, lined up) for `seconds`."""
        if seconds <= 0.0:
            return self.t
        ax, ay, az = to_vector(self.latitude, self.longitude)
        self._data.extend(
            (self.t, self.t + seconds, ax, ay, az, ax, ay, az, 0.0, 0.0, 0.0, 0.0,
             self.altitude_ft, 0.0, self.heading_deg, 1.0 if on_ground else 0.0)
        )
        self.t += seconds
        self.speed_kt = 0.0
        return self.t

    def move_to(
        self, latitude: float, longitude: float, *, speed_kt: float, altitude_ft: float, on_ground: bool
    ) -> float:
        """Travel to (latitude, longitude), changing speed linearly in time to `speed_kt` on arrival."""
        a = to_vector(self.latitude, self.longitude)
        b = to_vector(latitude, longitude)
        angle = central_angle(a, b)
        length = angle * EARTH_RADIUS_NM
        if length < 1e-4:  # under a metre: nothing to fly, just take the new speed and altitude
            self.speed_kt = speed_kt
            self.altitude_ft = altitude_ft
            return self.t
        mean_speed = (self.speed_kt + speed_kt) / 2.0
        if mean_speed <= 0.0:
            raise ValueError("cannot move with zero speed at both ends of a segment")
        duration = length / mean_speed * 3600.0
        heading = initial_bearing_deg(self.latitude, self.longitude, latitude, longitude)
        self._data.extend(
            (self.t, self.t + duration, a[0], a[1], a[2], b[0], b[1], b[2], angle, length,
             self.speed_kt, (speed_kt - self.speed_kt) / duration,
             self.altitude_ft, (altitude_ft - self.altitude_ft) / duration, heading, 1.0 if on_ground else 0.0)
        )
        self.t += duration
        self.latitude, self.longitude = latitude, longitude
        self.altitude_ft = altitude_ft
        self.speed_kt = speed_kt
        self.heading_deg = heading
        return self.t

    def move_along(self, bearing_deg: float, distance_nm: float, *, speed_kt: float, altitude_ft: float,
                   on_ground: bool) -> float:
        lat, lon = destination(self.latitude, self.longitude, bearing_deg, distance_nm)
        return self.move_to(lat, lon, speed_kt=speed_kt, altitude_ft=altitude_ft, on_ground=on_ground)

    def build(self) -> Trajectory:
        return Trajectory(self._data)
