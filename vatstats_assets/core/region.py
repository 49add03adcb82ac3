"""Which traffic belongs to a region. The VATPAC region is defined here and only here.

`vatpac` (the default) is Australia and the Pacific islands around it:
- a pilot belongs when it is inside the region's box, or its filed departure or arrival is a
  region airport;
- a controller belongs when its callsign starts with a region ICAO prefix (YSSY_TWR, NZAA_GND,
  NFFN_APP) or one of VATPAC's two-letter sector/terminal prefixes (ML-SNO_CTR, BN_APP, SY_TWR).
`global` keeps everything.

A *boundary region* (`boundary_region`) is made of boundaries or sectors from the user's sector
files (VATSTATS_REGION=YMMM,YBBB with VATSTATS_AIRSPACE_DIR set; see `vatstats_assets/regions.py`):
- a pilot belongs when its position is inside the boundaries' 2-D footprint (at any altitude; an
  edge counts as inside, holes are outside), or its filed departure or arrival is one of *its
  airports*, the airports located inside the footprint;
- a controller belongs when its station (the callsign before the first `_`: YSSY of YSSY_TWR,
  ML-ARL of ML-ARL_CTR) is one of its airports, one of the named ids (YMMM of YMMM_CTR), or the
  station of a sector of the files lying inside the footprint.
A snapshot's pilots are tested together (`contains_pilots`: a bounding-box filter, then one
vectorised shapely call), which keeps the filter within a few milliseconds for 4,000 pilots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# ICAO location-indicator prefixes of Australia (Y) and the Pacific states around it:
# New Zealand (NZ), Fiji/Tonga (NF), Vanuatu (NV), New Caledonia/Wallis (NW), Samoa (NS),
# Cook Islands (NC), French Polynesia (NT), Niue (NI), Kiribati/Tuvalu (NG), Papua New Guinea (AY),
# Solomon Islands (AG), Nauru (AN).
VATPAC_ICAO_PREFIXES: tuple[str, ...] = ("Y", "NZ", "NF", "NV", "NW", "NS", "NC", "NT", "NI", "NG", "AY", "AG", "AN")

# VATPAC controllers also log on with two-letter area codes (Melbourne Centre is ML-..., Sydney
# approach SY_APP); these are the ones in VATPAC's sector files.
VATPAC_CONTROLLER_PREFIXES: tuple[str, ...] = (
    "AD", "AS", "BN", "CB", "CS", "DN", "EN", "ES", "HB", "KA", "ML", "OK", "PH", "RK", "SY", "TL", "TN", "WLM",
)

# The box: from the Indian Ocean west of Perth (100 E) across the antimeridian to French Polynesia
# (135 W), and from the equator to Antarctica.
VATPAC_SOUTH, VATPAC_NORTH = -60.0, 2.0
VATPAC_WEST, VATPAC_EAST = 100.0, -135.0


@dataclass(frozen=True)
class Region:
    name: str

    @property
    def is_global(self) -> bool:
        return self.name == "global"

    def contains_position(self, latitude: float, longitude: float) -> bool:
        if self.is_global:
            return True
        in_band = VATPAC_SOUTH <= latitude <= VATPAC_NORTH
        # The box crosses the antimeridian: east of 100 E, or west of 135 W.
        return in_band and (longitude >= VATPAC_WEST or longitude <= VATPAC_EAST)

    def contains_airport(self, icao: str | None) -> bool:
        if self.is_global:
            return True
        return icao is not None and icao.upper().startswith(VATPAC_ICAO_PREFIXES)

    def contains_pilot(self, latitude: float, longitude: float, departure: str | None, arrival: str | None) -> bool:
        return (
            self.contains_position(latitude, longitude)
            or self.contains_airport(departure)
            or self.contains_airport(arrival)
        )

    def contains_pilots(
        self, latitudes: Sequence[float], longitudes: Sequence[float], departures: Sequence[str | None],
        arrivals: Sequence[str | None],
    ) -> np.ndarray:
        """`contains_pilot` for a snapshot's pilots at once (a boolean per pilot): the box in numpy,
        then the flight plans of the pilots outside it."""
        if self.is_global:
            return np.ones(len(latitudes), dtype=bool)
        latitude = np.asarray(latitudes, dtype=np.float64)
        longitude = np.asarray(longitudes, dtype=np.float64)
        inside = (latitude >= VATPAC_SOUTH) & (latitude <= VATPAC_NORTH) & (
            (longitude >= VATPAC_WEST) | (longitude <= VATPAC_EAST))
        for i in np.flatnonzero(~inside).tolist():
            inside[i] = self.contains_airport(departures[i]) or self.contains_airport(arrivals[i])
        return inside

    def contains_controller(self, callsign: str) -> bool:
        if self.is_global:
            return True
        upper = callsign.upper()
        head = upper.split("_", 1)[0].split("-", 1)[0]
        is_icao_station = len(head) == 4 and head.startswith(VATPAC_ICAO_PREFIXES)
        return is_icao_station or head in VATPAC_CONTROLLER_PREFIXES


@dataclass(frozen=True)
class BoundaryRegion(Region):
    """The traffic inside boundaries of the user's sector files; `name` is the ids, "YMMM,YBBB"."""

    geometry: BaseGeometry = field(default_factory=shapely.Polygon)  # longitude/latitude, in [-180, 180]
    airports: frozenset[str] = frozenset()
    stations: frozenset[str] = frozenset()  # controller callsigns' stations (before the first "_")

    def __post_init__(self) -> None:
        shapely.prepare(self.geometry)
        object.__setattr__(self, "_bounds", self.geometry.bounds if not self.geometry.is_empty else None)

    @property
    def is_global(self) -> bool:
        return False

    def contains_position(self, latitude: float, longitude: float) -> bool:
        return bool(self.contains_positions(np.array([latitude]), np.array([longitude]))[0])

    def contains_positions(self, latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
        inside = np.zeros(latitudes.size, dtype=bool)
        bounds = self._bounds  # type: ignore[attr-defined]
        if bounds is None:
            return inside
        west, south, east, north = bounds
        candidates = np.flatnonzero(
            (longitudes >= west) & (longitudes <= east) & (latitudes >= south) & (latitudes <= north))
        if candidates.size:
            inside[candidates] = shapely.intersects_xy(self.geometry, longitudes[candidates], latitudes[candidates])
        return inside

    def contains_airport(self, icao: str | None) -> bool:
        return icao is not None and icao.upper() in self.airports

    def contains_pilots(
        self, latitudes: Sequence[float], longitudes: Sequence[float], departures: Sequence[str | None],
        arrivals: Sequence[str | None],
    ) -> np.ndarray:
        inside = self.contains_positions(np.asarray(latitudes, dtype=np.float64),
                                         np.asarray(longitudes, dtype=np.float64))
        airports = self.airports
        for i in np.flatnonzero(~inside).tolist():
            departure, arrival = departures[i], arrivals[i]
            if (departure is not None and departure.upper() in airports) or (
                    arrival is not None and arrival.upper() in airports):
                inside[i] = True
        return inside

    def contains_controller(self, callsign: str) -> bool:
        return callsign.upper().split("_", 1)[0] in self.stations


def _station(callsign: str) -> str:
    return callsign.upper().split("_", 1)[0]


def boundary_region(
    ids: Sequence[str], footprints: Sequence[BaseGeometry], airports: Iterable[tuple[str, float, float]],
    sector_callsigns: Iterable[tuple[str, BaseGeometry]] = (),
) -> BoundaryRegion:
    """The region of the named boundaries (`footprints`, one per id, in the [-180, 180] frame).

    `airports` are (icao, latitude, longitude) of every known airport (the project's airport index):
    those inside become the region's airports. `sector_callsigns` are (callsign, footprint) of the
    sector files' positions: those whose footprint's representative point is inside staff it.
    """
    geometry = shapely.union_all(list(footprints)) if footprints else shapely.Polygon()
    region_ = BoundaryRegion(",".join(ids), geometry)
    codes, latitudes, longitudes = [], [], []
    for icao, latitude, longitude in airports:
        codes.append(icao.upper())
        latitudes.append(latitude)
        longitudes.append(longitude)
    inside = region_.contains_positions(np.asarray(latitudes, dtype=np.float64),
                                        np.asarray(longitudes, dtype=np.float64))
    inside_airports = frozenset(code for code, keep in zip(codes, inside, strict=True) if keep)
    stations = set(inside_airports) | {i.upper() for i in ids}
    for callsign, footprint in sector_callsigns:
        point = footprint.representative_point()
        if region_.contains_position(point.y, point.x):
            stations.add(_station(callsign))
    return BoundaryRegion(region_.name, geometry, inside_airports, frozenset(stations))


def region(name: str) -> Region:
    """`vatpac` or `global` (a boundary region needs the sector files: `vatstats_assets.regions`)."""
    if name not in ("vatpac", "global"):
        raise ValueError(f"unknown region {name!r}; choose vatpac or global")
    return Region(name)
