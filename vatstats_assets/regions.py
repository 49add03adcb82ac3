"""VATSTATS_REGION (and `vatstats replay --region`) resolved into a `Region`: `vatpac`, `global`, or a
comma-separated list of boundary or sector ids from the sector files of VATSTATS_AIRSPACE_DIR
(`YMMM,YBBB`: a division's FIRs from VAT-Spy's Boundaries.geojson, or vatSys boundaries/sectors).

Ids are matched without regard to case and stored as the files spell them, in the order given. An
id naming both a sector and a boundary means the sector (the union of its volumes' polygons). The
files and the airport index are read once per process (again only if the files change), so the
per-snapshot cost is the filter itself (`core/region.py`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.airspace import Airspace, AirspaceError, airspace_files, load_airspace
from vatstats_assets.core.region import Region, boundary_region, region

NAMED_REGIONS = ("vatpac", "global")
_SHOWN_CHOICES = 8


class RegionError(ValueError):
    """A region the settings or a command cannot use; the message is one sentence."""


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in airspace_files(folder))


@functools.lru_cache(maxsize=4)
def _airspace(folder: Path, signature: tuple[tuple[str, int, int], ...]) -> Airspace:
    return load_airspace(folder)


def _footprints(airspace: Airspace) -> dict[str, BaseGeometry]:
    """Every id a region may name, upper-cased, with its 2-D footprint (sectors win over boundaries)."""
    found = {name.upper(): geometry for name, geometry in airspace.boundaries.items()}
    for name, sector in airspace.sectors.items():
        found[name.upper()] = shapely.union_all([airspace.volumes[v].geometry for v in sector.volumes])
    return found


def _spelling(airspace: Airspace) -> dict[str, str]:
    spelled = {name.upper(): name for name in airspace.boundaries}
    spelled.update({name.upper(): name for name in airspace.sectors})
    return spelled


def region_name(text: str, airspace_dir: Path | None, *, setting: str = "VATSTATS_REGION") -> str:
    """The canonical name of the region `text` asks for ("vatpac", "global" or "YMMM,YBBB"), or a
    RegionError naming what is wrong in one sentence."""
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    if len(wanted) == 1 and wanted[0].lower() in NAMED_REGIONS:
        return wanted[0].lower()
    if not wanted:
        raise RegionError(f"{setting} must be one of vatpac, global, or boundary ids from sector files, not {text!r}.")
    if airspace_dir is None:
        raise RegionError(
            f"{setting} must be one of vatpac, global, or boundary ids from sector files, not {text!r}; "
            f"to name boundaries or sectors, set VATSTATS_AIRSPACE_DIR to the folder of files that defines them."
        )
    try:
        airspace = _airspace(airspace_dir, _signature(airspace_dir))
    except (AirspaceError, OSError) as error:
        raise RegionError(f"{setting} {text!r} names boundaries, but the sector files cannot be read: "
                          f"{str(error).rstrip('.')}.") from None
    spelled = _spelling(airspace)
    unknown = [part for part in wanted if part.upper() not in spelled]
    if unknown:
        choices = sorted(spelled.values())
        shown = ", ".join(choices[:_SHOWN_CHOICES]) + (f" and {len(choices) - _SHOWN_CHOICES} more"
                                                      if len(choices) > _SHOWN_CHOICES else "")
        raise RegionError(
            f"{setting} names {', '.join(unknown)}, which the sector files in {airspace_dir} do not define "
            f"(they define {shown}; or use vatpac or global)."
        )
    return ",".join(dict.fromkeys(spelled[part.upper()] for part in wanted))


def load_region(name: str, airspace_dir: Path | None) -> Region:
    """The `Region` for a canonical name (see `region_name`), built once per process and files."""
    if name in NAMED_REGIONS:
        return region(name)
    if airspace_dir is None:
        raise RegionError(f"region {name!r} names boundaries, but VATSTATS_AIRSPACE_DIR is not set.")
    return _boundary_region(name, airspace_dir, _signature(airspace_dir))


@functools.lru_cache(maxsize=4)
def _boundary_region(name: str, folder: Path, signature: tuple[tuple[str, int, int], ...]) -> Region:
    airspace = _airspace(folder, signature)
    footprints = _footprints(airspace)
    ids = name.split(",")
    missing = [i for i in ids if i.upper() not in footprints]
    if missing:
        raise RegionError(f"region {name!r}: the sector files in {folder} no longer define {', '.join(missing)}.")
    airports = ((a.icao, a.latitude, a.longitude) for a in AirportIndex.from_airportsdata())
    sectors = [(sector.callsign, footprints[key.upper()]) for key, sector in airspace.sectors.items()
               if sector.callsign]
    return boundary_region(ids, [footprints[i.upper()] for i in ids], airports, sectors)


@dataclass(frozen=True)
class StoredRegion:
    """The region a stored snapshot is applied with again (the rebuild from the raw snapshots):
    `override` for every snapshot, or else the one it was stored under. A plain value, so that
    worker processes can be handed it; each loads a region once (load_region's cache)."""

    override: str | None
    airspace_dir: Path | None

    def __call__(self, stored: str) -> Region:
        return load_region(self.override or stored, self.airspace_dir)
