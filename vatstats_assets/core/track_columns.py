"""A connection's samples stored column by column, with times as integer microseconds.

A day partition holds millions of samples. As one Python object each (a datetime, two floats, two
ints) they took most of a backfill's time to build and most of its memory; as five numpy columns
they are read from PostgreSQL's binary COPY in one step (`storage/tracks.py`), and the state machine
reads them as plain lists, one chain at a time. Times stay exact: observed_at is kept as the
integer microseconds PostgreSQL stores, and turned back into a datetime only where a rule computes
with one (a movement's time, an off-block time).

`TrackColumns` is also a read-only sequence of `TrackPoint`s, so code that walks a connection's
points one by one works unchanged on either form.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import overload

import numpy as np

# PostgreSQL's own epoch: binary COPY gives a timestamptz as microseconds since this instant.
PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class TrackPoint:
    observed_at: datetime  # tz-aware UTC
    latitude: float
    longitude: float
    altitude_ft: int  # MSL, as in the feed
    groundspeed_kt: int


def to_micros(at: datetime) -> int:
    """Microseconds since PG_EPOCH: exact for any tz-aware datetime."""
    return (at - PG_EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    return PG_EPOCH + timedelta(microseconds=micros)


def _numbers(values: list) -> np.ndarray:
    """Integers as int64; a float given where the feed has integers stays a float (float64), so the
    rules compute with exactly the value they were given."""
    column = np.array(values) if values else np.empty(0, dtype=np.int64)
    return column if column.dtype.kind in "iuf" else column.astype(np.float64)


class TrackColumns(Sequence[TrackPoint]):
    """Samples in time order as five equally long numpy columns."""

    __slots__ = ("micros", "latitude", "longitude", "altitude_ft", "groundspeed_kt")

    def __init__(self, micros: np.ndarray, latitude: np.ndarray, longitude: np.ndarray,
                 altitude_ft: np.ndarray, groundspeed_kt: np.ndarray) -> None:
        self.micros = micros  # int64, observed_at as microseconds since PG_EPOCH
        self.latitude = latitude  # float64
        self.longitude = longitude  # float64
        self.altitude_ft = altitude_ft  # int64
        self.groundspeed_kt = groundspeed_kt  # int64

    @classmethod
    def of(cls, points: Sequence[TrackPoint]) -> TrackColumns:
        """The columns of points given one by one (tests, the simulator's tracks)."""
        if isinstance(points, TrackColumns):
            return points
        return cls(
            np.array([to_micros(p.observed_at) for p in points], dtype=np.int64),
            np.array([p.latitude for p in points], dtype=np.float64),
            np.array([p.longitude for p in points], dtype=np.float64),
            _numbers([p.altitude_ft for p in points]),
            _numbers([p.groundspeed_kt for p in points]),
        )

    def __len__(self) -> int:
        return len(self.micros)

    @overload
    def __getitem__(self, index: int) -> TrackPoint: ...

    @overload
    def __getitem__(self, index: slice) -> TrackColumns: ...

    def __getitem__(self, index: int | slice) -> TrackPoint | TrackColumns:
        if isinstance(index, slice):
            return self.take(index)
        return TrackPoint(from_micros(int(self.micros[index])), float(self.latitude[index]),
                          float(self.longitude[index]), int(self.altitude_ft[index]), int(self.groundspeed_kt[index]))

    def __iter__(self) -> Iterator[TrackPoint]:
        for micros, lat, lon, alt, gs in zip(self.micros.tolist(), self.latitude.tolist(), self.longitude.tolist(),
                                             self.altitude_ft.tolist(), self.groundspeed_kt.tolist(), strict=True):
            yield TrackPoint(from_micros(micros), lat, lon, alt, gs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable arrays inside: not hashable, like a list

    def take(self, selection: slice | np.ndarray) -> TrackColumns:
        """The samples a slice or a boolean mask selects, as columns."""
        return TrackColumns(self.micros[selection], self.latitude[selection], self.longitude[selection],
                            self.altitude_ft[selection], self.groundspeed_kt[selection])

    @staticmethod
    def concatenate(parts: Sequence[TrackColumns]) -> TrackColumns:
        return TrackColumns(*(np.concatenate([getattr(p, name) for p in parts]) for name in TrackColumns.__slots__))


@dataclass(frozen=True, slots=True)
class TrackLists:
    """One chain's columns as Python lists: the state machine indexes them sample by sample, and a
    list item is several times cheaper to read than a numpy scalar."""

    micros: list[int]
    latitude: list[float]
    longitude: list[float]
    altitude_ft: list[int]
    groundspeed_kt: list[int]

    @classmethod
    def of(cls, columns: TrackColumns) -> TrackLists:
        return cls(columns.micros.tolist(), columns.latitude.tolist(), columns.longitude.tolist(),
                   columns.altitude_ft.tolist(), columns.groundspeed_kt.tolist())

    def __len__(self) -> int:
        return len(self.micros)

    def observed_at(self, index: int) -> datetime:
        return from_micros(self.micros[index])

    def seconds_between(self, first: int, last: int) -> float:
        """(observed_at[last] - observed_at[first]).total_seconds(), computed the same way: an exact
        integer divided once, so equal to the last bit."""
        return (self.micros[last] - self.micros[first]) / 1_000_000
