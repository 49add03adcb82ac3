"""Airport reference data and a fast spatial index over it.

The index buckets airports into cells of one degree of latitude by one degree of longitude, so
"which airport is nearest to this aircraft?" looks at a handful of cells (a few dozen airports)
instead of all ~28,000 entries of the `airportsdata` package.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from vatstats_assets.core.geo import haversine_nm

# A degree of latitude is 60.04 nm at the equator and more towards the poles; dividing by a
# slightly smaller figure makes the searched box a hair too big rather than too small.
_NM_PER_DEGREE_LOWER_BOUND = 59.9

# Half the diagonal of a one-degree cell, at its widest (the equator): 0.5 * hypot(60.1, 60.1) nm.
_CELL_HALF_DIAGONAL_NM = 42.5

# `airportsdata` tables that can be loaded; each entry carries an ICAO code or a local identifier.
AIRPORTSDATA_KINDS = ("ICAO", "LID", "IATA")

_Cell = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Airport:
    icao: str
    name: str
    latitude: float
    longitude: float
    elevation_ft: float
    country: str


class AirportIndex:
    """Airports by code and by position. Immutable after construction, so it can be shared freely."""

    def __init__(self, airports: Iterable[Airport]) -> None:
        self._by_code: dict[str, Airport] = {}
        self._cells: dict[_Cell, list[Airport]] = {}
        for airport in airports:
            if airport.icao in self._by_code:
                continue  # the first definition of a code wins; later tables only add new codes
            self._by_code[airport.icao] = airport
            self._cells.setdefault(_cell_of(airport.latitude, airport.longitude), []).append(airport)
        self.highest_elevation_ft: float = max(
            (airport.elevation_ft for airport in self._by_code.values()), default=0.0
        )
        self._ceilings: dict[tuple[int, int, float], float] = {}

    @classmethod
    def from_airportsdata(cls, kinds: Iterable[str] = ("ICAO",)) -> AirportIndex:
        """The index of the `airportsdata` package's tables named in `kinds` (default: ICAO codes).

        "LID" adds the FAA local identifiers of small US fields that have no ICAO code. The table is
        read once per process: later calls with the same kinds return the same index.
        """
        wanted = tuple(dict.fromkeys(kind.strip().upper() for kind in kinds))
        unknown = [kind for kind in wanted if kind not in AIRPORTSDATA_KINDS]
        if unknown or not wanted:
            raise ValueError(
                f"Unknown airport table {unknown or list(wanted)}: choose from {', '.join(AIRPORTSDATA_KINDS)}."
            )
        return _load_airportsdata(wanted)

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, icao: object) -> bool:
        return isinstance(icao, str) and icao.strip().upper() in self._by_code

    def __iter__(self) -> Iterator[Airport]:
        return iter(self._by_code.values())

    def get(self, icao: str | None) -> Airport | None:
        """The airport with this code (case and surrounding spaces ignored), or None."""
        if not icao:
            return None
        return self._by_code.get(icao.strip().upper())

    def nearest(self, lat: float, lon: float, max_nm: float) -> tuple[Airport, float] | None:
        """The airport nearest to (lat, lon) and its distance in nm, if one lies within `max_nm`."""
        best: Airport | None = None
        best_nm = max_nm
        for airport in self._candidates(lat, lon, max_nm):
            distance = haversine_nm(lat, lon, airport.latitude, airport.longitude)
            if distance <= best_nm:
                best, best_nm = airport, distance
        return None if best is None else (best, best_nm)

    def within(self, lat: float, lon: float, max_nm: float) -> list[tuple[Airport, float]]:
        """Every airport within `max_nm` of (lat, lon) with its distance, nearest first."""
        found = []
        for airport in self._candidates(lat, lon, max_nm):
            distance = haversine_nm(lat, lon, airport.latitude, airport.longitude)
            if distance <= max_nm:
                found.append((airport, distance))
        found.sort(key=lambda pair: (pair[1], pair[0].icao))
        return found

    def ceiling_ft(self, lat: float, lon: float, reach_nm: float) -> float:
        """An upper bound of the elevation of every airport within `reach_nm` of (lat, lon).

        Movement detection uses it to skip airport look-ups for aircraft that are clearly above every
        field around them. The bound is per grid cell (cached), so it costs one dictionary look-up.
        """
        cell = _cell_of(lat, lon)
        key = (cell[0], cell[1], reach_nm)
        ceiling = self._ceilings.get(key)
        if ceiling is None:
            # Searching from the cell's centre, with the cell's half-diagonal added, covers any point in it.
            centre_lat, centre_lon = cell[0] + 0.5, cell[1] + 0.5
            ceiling = max(
                (a.elevation_ft for a in self._candidates(centre_lat, centre_lon, reach_nm + _CELL_HALF_DIAGONAL_NM)),
                default=-math.inf,
            )
            self._ceilings[key] = ceiling
        return ceiling

    def _candidates(self, lat: float, lon: float, max_nm: float) -> Iterator[Airport]:
        """Airports in every grid cell that a circle of `max_nm` around (lat, lon) can touch."""
        dlat = max_nm / _NM_PER_DEGREE_LOWER_BOUND
        lat_low, lat_high = max(lat - dlat, -90.0), min(lat + dlat, 90.0)
        widest_latitude = max(abs(lat_low), abs(lat_high))
        cos_lat = math.cos(math.radians(widest_latitude))
        dlon = 360.0 if cos_lat < 1e-6 else max_nm / (_NM_PER_DEGREE_LOWER_BOUND * cos_lat)
        if dlon >= 180.0:
            lon_cells: Iterable[int] = range(-180, 180)
        else:
            # Cells are wrapped into [-180, 180), so a circle across the antimeridian finds both sides.
            lon_cells = {(cell + 180) % 360 - 180 for cell in range(math.floor(lon - dlon), math.floor(lon + dlon) + 1)}
        cells = self._cells
        for lat_cell in range(math.floor(lat_low), math.floor(lat_high) + 1):
            for lon_cell in lon_cells:
                bucket = cells.get((lat_cell, lon_cell))
                if bucket:
                    yield from bucket


def _cell_of(lat: float, lon: float) -> _Cell:
    return math.floor(lat), (math.floor(lon) + 180) % 360 - 180


@functools.lru_cache(maxsize=4)
def _load_airportsdata(kinds: tuple[str, ...]) -> AirportIndex:
    import airportsdata  # imported here so that modules using a hand-built index never pay for it

    def airports() -> Iterator[Airport]:
        for kind in kinds:
            for code, entry in airportsdata.load(kind).items():  # type: ignore[arg-type]  # checked by its caller
                icao = (entry.get("icao") or code).strip().upper()
                if not icao:
                    continue
                yield Airport(
                    icao=icao,
                    name=entry.get("name") or icao,
                    latitude=float(entry["lat"]),
                    longitude=float(entry["lon"]),
                    elevation_ft=float(entry.get("elevation") or 0.0),
                    country=entry.get("country") or "",
                )

    return AirportIndex(airports())
