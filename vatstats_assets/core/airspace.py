"""Sector definitions read from the user's files: vatSys profile XML and GeoJSON boundaries.

Nothing here is bundled: the division's files are read from a folder the user names
(`VATSTATS_AIRSPACE_DIR`), and handed to these parsers. Two formats:

- vatSys profile XML (what VATPAC publishes). `Volumes.xml` holds `<Boundary Name=..>` point lists
  (`-335648.000+1511042.000/...`: latitude and longitude as signed DDMMSS.sss and DDDMMSS.sss) and
  `<Volume Name=.. LowerLimit=.. UpperLimit=..>` (feet) whose `<Boundaries>` name the boundaries
  it covers; `Sectors.xml` holds `<Sector Name=.. Callsign=.. Frequency=..>` with `<Volumes>` and
  `<ResponsibleSectors>` (the sectors the position covers when they are closed).
- GeoJSON boundaries (an RFC 7946 FeatureCollection of Polygon/MultiPolygon features with an id,
  as the VAT-Spy data project's `Boundaries.geojson` of FIRs). These are 2-D: each feature becomes
  a boundary, a volume from the surface to `UNLIMITED_FT`, and a sector of the same name.

Every problem is reported as one sentence naming the file, the line and what is wrong, and nothing is
half loaded: `load_airspace` returns a whole `Airspace` or raises `AirspaceError`.

Geometry is kept in longitude/latitude degrees in the [-180, 180] frame. A ring that crosses the
antimeridian (consecutive points more than 180 degrees of longitude apart, as vatSys and VAT-Spy
write them) is first unwrapped into a continuous ring, then cut back into the frame as a
MultiPolygon, so a point test never needs to know about the antimeridian.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import xml.parsers.expat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

# GeoJSON boundaries carry no altitudes: their volumes reach from below sea level (Dead Sea
# airfields, altimeter errors) to far above anything the network flies.
SURFACE_FT = -2_000
UNLIMITED_FT = 999_999

VATSYS_VOLUMES = "Volumes.xml"
VATSYS_SECTORS = "Sectors.xml"

_WORLD = box(-180.0, -90.0, 180.0, 90.0)

# One vatSys point: signed latitude DDMMSS(.sss), then signed longitude DDDMMSS(.sss).
_DDMMSS = re.compile(
    r"^([+-])(\d{2})(\d{2})(\d{2}(?:\.\d*)?)([+-])(\d{3})(\d{2})(\d{2}(?:\.\d*)?)$"
)


class AirspaceError(ValueError):
    """A sector file vatstats cannot use; the message names the file, the line and the problem."""


@dataclass(frozen=True)
class Volume:
    """A 3-D block of airspace: the union of its boundaries' polygons between two altitudes (feet)."""

    name: str
    lower_ft: int
    upper_ft: int
    boundaries: tuple[str, ...]
    geometry: BaseGeometry  # Polygon or MultiPolygon, longitude/latitude, inside [-180, 180]
    source: str  # the file it was read from, relative to the folder


@dataclass(frozen=True)
class Sector:
    """A controller's sector: its volumes, and the sectors it covers when those are closed."""

    name: str
    full_name: str
    callsign: str | None
    frequency: str | None  # MHz with three decimals, "124.500"
    volumes: tuple[str, ...]
    responsible_sectors: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Airspace:
    boundaries: dict[str, BaseGeometry]
    volumes: dict[str, Volume]
    sectors: dict[str, Sector]
    files: tuple[str, ...] = ()
    digest: str = ""  # sha256 of the files read (names and bytes): the airspace's data version

    def covering(self, name: str) -> set[str]:
        """The sectors that cover `name` when it is closed, transitively (itself not included)."""
        found: set[str] = set()
        frontier = [name]
        while frontier:
            below = frontier.pop()
            for sector in self.sectors.values():
                if below in sector.responsible_sectors and sector.name not in found and sector.name != name:
                    found.add(sector.name)
                    frontier.append(sector.name)
        return found


@dataclass
class _Element:
    tag: str
    attributes: dict[str, str]
    line: int
    text: list[str] = field(default_factory=list)
    children: list[_Element] = field(default_factory=list)

    @property
    def content(self) -> str:
        return "".join(self.text).strip()

    def child(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)


# -- coordinates ------------------------------------------------------------------------------------


def parse_ddmmss(point: str) -> tuple[float, float]:
    """'-335648.000+1511042.000' -> (latitude, longitude) in degrees; ValueError saying why otherwise."""
    match = _DDMMSS.match(point.strip())
    if match is None:
        raise ValueError(f"{point!r} is not a point like -335648.000+1511042.000")
    lat_sign, lat_d, lat_m, lat_s, lon_sign, lon_d, lon_m, lon_s = match.groups()
    if int(lat_m) >= 60 or float(lat_s) >= 60 or int(lon_m) >= 60 or float(lon_s) >= 60:
        raise ValueError(f"{point!r} has minutes or seconds of 60 or more")
    latitude = int(lat_d) + int(lat_m) / 60 + float(lat_s) / 3600
    longitude = int(lon_d) + int(lon_m) / 60 + float(lon_s) / 3600
    if latitude > 90 or longitude > 180:
        raise ValueError(f"{point!r} is outside the globe")
    return (-latitude if lat_sign == "-" else latitude), (-longitude if lon_sign == "-" else longitude)


def unwrap_longitudes(longitudes: Sequence[float]) -> list[float]:
    """The ring's longitudes made continuous: a step of more than 180 degrees crosses the antimeridian."""
    if not longitudes:
        return []
    out = [float(longitudes[0])]
    for lon in longitudes[1:]:
        previous = out[-1]
        lon = float(lon)
        while lon - previous > 180.0:
            lon -= 360.0
        while lon - previous < -180.0:
            lon += 360.0
        out.append(lon)
    return out


def polygon_in_frame(exterior: Sequence[tuple[float, float]],
                     holes: Sequence[Sequence[tuple[float, float]]] = ()) -> BaseGeometry:
    """A polygon from (longitude, latitude) rings, unwrapped across the antimeridian and cut back
    into the [-180, 180] frame (a MultiPolygon when it crosses); ValueError when it has no area."""
    shell = _unwrapped(exterior)
    west, east = min(x for x, _ in shell), max(x for x, _ in shell)
    middle = (west + east) / 2
    inner = []
    for hole in holes:
        ring = _unwrapped(hole)
        # A hole written on the other side of the antimeridian from its shell is moved next to it.
        shift = 360.0 * round((middle - sum(x for x, _ in ring) / len(ring)) / 360.0)
        inner.append([(x + shift, y) for x, y in ring])
    polygon: BaseGeometry = Polygon(shell, inner)
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon)
    polygon = _polygonal(polygon)
    if polygon.is_empty or polygon.area <= 0:
        raise ValueError("the polygon has no area")
    if west >= -180.0 and east <= 180.0:
        return polygon
    pieces = [shapely.transform(polygon, lambda xy, k=k: xy + [k * 360.0, 0.0]) for k in (-1, 0, 1)]
    return _polygonal(shapely.union_all([piece.intersection(_WORLD) for piece in pieces]))


def _unwrapped(ring: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    points = [(float(x), float(y)) for x, y in ring]
    if len(points) >= 2 and points[0] == points[-1]:
        points = points[:-1]
    if len(points) < 3:
        raise ValueError(f"a ring needs at least 3 points, not {len(points)}")
    if any(not (math.isfinite(x) and math.isfinite(y)) or abs(y) > 90 for x, y in points):
        raise ValueError("a ring has a point outside the globe")
    longitudes = unwrap_longitudes([x for x, _ in points])
    return [(lon, lat) for lon, (_, lat) in zip(longitudes, points, strict=True)]


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the areas of a geometry (make_valid and intersections may leave lines and points)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    return shapely.union_all(parts) if parts else Polygon()


# -- vatSys XML --------------------------------------------------------------------------------------


def _read_xml(data: bytes, filename: str) -> _Element:
    """The document as a small tree whose elements know their line (ElementTree forgets it)."""
    parser = xml.parsers.expat.ParserCreate()
    stack: list[_Element] = []
    root: list[_Element] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = _Element(tag, dict(attributes), parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def text(content: str) -> None:
        if stack:
            stack[-1].text.append(content)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        message = xml.parsers.expat.ErrorString(error.code)
        raise AirspaceError(f"{filename} line {error.lineno}: not well-formed XML ({message}).") from None
    return root[0]


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in re.split(r"[,\s]+", text) if name.strip())


def _elements(root: _Element, tag: str) -> Iterable[_Element]:
    stack = [root]
    while stack:
        element = stack.pop()
        if element.tag == tag:
            yield element
        stack.extend(reversed(element.children))


def _required(element: _Element, attribute: str, filename: str) -> str:
    value = element.attributes.get(attribute, "").strip()
    if not value:
        raise AirspaceError(f"{filename} line {element.line}: <{element.tag}> has no {attribute}.")
    return value


def _feet(element: _Element, attribute: str, filename: str) -> int:
    raw = _required(element, attribute, filename)
    try:
        return round(float(raw))
    except ValueError:
        raise AirspaceError(
            f"{filename} line {element.line}: {attribute} of {element.attributes.get('Name')!r} "
            f"is {raw!r}, not a number of feet."
        ) from None


def parse_vatsys_volumes(data: bytes, filename: str = VATSYS_VOLUMES) -> tuple[dict[str, BaseGeometry], dict[str, Volume]]:
    """Boundaries and volumes of a vatSys `Volumes.xml`."""
    root = _read_xml(data, filename)
    boundaries: dict[str, BaseGeometry] = {}
    for element in _elements(root, "Boundary"):
        name = _required(element, "Name", filename)
        if name in boundaries:
            raise AirspaceError(f"{filename} line {element.line}: boundary {name!r} is defined twice.")
        points = []
        for raw in re.split(r"[/\s]+", element.content):
            if not raw:
                continue
            try:
                latitude, longitude = parse_ddmmss(raw)
            except ValueError as error:
                raise AirspaceError(f"{filename} line {element.line}: boundary {name!r}: {error}.") from None
            points.append((longitude, latitude))
        try:
            boundaries[name] = polygon_in_frame(points)
        except ValueError as error:
            raise AirspaceError(f"{filename} line {element.line}: boundary {name!r}: {error}.") from None
    volumes: dict[str, Volume] = {}
    for element in _elements(root, "Volume"):
        name = _required(element, "Name", filename)
        if name in volumes:
            raise AirspaceError(f"{filename} line {element.line}: volume {name!r} is defined twice.")
        lower, upper = _feet(element, "LowerLimit", filename), _feet(element, "UpperLimit", filename)
        if lower >= upper:
            raise AirspaceError(
                f"{filename} line {element.line}: volume {name!r} has LowerLimit {lower} not below UpperLimit {upper}."
            )
        listed = element.child("Boundaries")
        names = _names(listed.content) if listed is not None else ()
        if not names:
            raise AirspaceError(f"{filename} line {element.line}: volume {name!r} names no boundaries.")
        unknown = [b for b in names if b not in boundaries]
        if unknown:
            raise AirspaceError(
                f"{filename} line {element.line}: volume {name!r} names unknown boundaries {', '.join(unknown)}."
            )
        geometry = shapely.union_all([boundaries[b] for b in names])
        volumes[name] = Volume(name, lower, upper, names, _polygonal(geometry), filename)
    return boundaries, volumes


def _frequency(raw: str) -> str | None:
    """'124.500', '124.5' or '124500000' (Hz) -> '124.500'; None when empty or zero."""
    raw = raw.strip()
    if not raw:
        return None
    value = float(raw)
    if value > 1e5:  # written in Hz or kHz
        value = value / 1e6 if value > 1e7 else value / 1e3
    return f"{value:.3f}" if value > 0 else None


def parse_vatsys_sectors(data: bytes, volumes: dict[str, Volume], filename: str = VATSYS_SECTORS) -> dict[str, Sector]:
    """Sectors of a vatSys `Sectors.xml`, checked against the volumes they name."""
    root = _read_xml(data, filename)
    sectors: dict[str, Sector] = {}
    lines: dict[str, int] = {}
    for element in _elements(root, "Sector"):
        name = _required(element, "Name", filename)
        if name in sectors:
            raise AirspaceError(f"{filename} line {element.line}: sector {name!r} is defined twice.")
        raw_frequency = element.attributes.get("Frequency", "")
        try:
            frequency = _frequency(raw_frequency)
        except ValueError:
            raise AirspaceError(
                f"{filename} line {element.line}: sector {name!r} has Frequency {raw_frequency!r}, not a number."
            ) from None
        listed = element.child("Volumes")
        names = _names(listed.content) if listed is not None else ()
        unknown = [v for v in names if v not in volumes]
        if unknown:
            raise AirspaceError(
                f"{filename} line {element.line}: sector {name!r} names unknown volumes {', '.join(unknown)}."
            )
        responsible = element.child("ResponsibleSectors")
        callsign = element.attributes.get("Callsign", "").strip().upper() or None
        sectors[name] = Sector(
            name=name, full_name=element.attributes.get("FullName", "").strip() or name, callsign=callsign,
            frequency=frequency, volumes=names,
            responsible_sectors=_names(responsible.content) if responsible is not None else (), source=filename,
        )
        lines[name] = element.line
    for sector in sectors.values():
        unknown = [s for s in sector.responsible_sectors if s not in sectors]
        if unknown:
            raise AirspaceError(
                f"{filename} line {lines[sector.name]}: sector {sector.name!r} is responsible for unknown "
                f"sectors {', '.join(unknown)}."
            )
    return sectors


# -- GeoJSON -----------------------------------------------------------------------------------------


def parse_geojson_boundaries(data: bytes, filename: str) -> dict[str, BaseGeometry]:
    """Boundaries of a GeoJSON FeatureCollection, by each feature's id (`properties.id`, else the
    feature's own `id`)."""
    text = data.decode("utf-8-sig", errors="replace")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise AirspaceError(f"{filename} line {error.lineno}: not valid JSON ({error.msg}).") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise AirspaceError(f"{filename} line 1: not a GeoJSON FeatureCollection.")
    # json keeps no positions: the n-th feature is found again by its "Feature" type in the text.
    feature_lines = [text.count("\n", 0, m.start()) + 1
                     for m in re.finditer(r'"type"\s*:\s*"Feature"', text)]
    boundaries: dict[str, BaseGeometry] = {}
    for index, feature in enumerate(document.get("features") or []):
        line = feature_lines[index] if index < len(feature_lines) else 1
        where = f"{filename} line {line}"
        if not isinstance(feature, dict):
            raise AirspaceError(f"{where}: feature {index + 1} is not an object.")
        properties = feature.get("properties") or {}
        ident = str(properties.get("id") or feature.get("id") or "").strip()
        if not ident:
            raise AirspaceError(f"{where}: feature {index + 1} has no id (properties.id).")
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        coordinates: list = geometry.get("coordinates") or []
        try:
            if kind == "Polygon":
                polygons = [coordinates]
            elif kind == "MultiPolygon":
                polygons = list(coordinates)
            else:
                raise ValueError(f"its geometry is {kind or 'missing'}, not a Polygon or MultiPolygon")
            parts = [polygon_in_frame([tuple(p[:2]) for p in rings[0]], [[tuple(p[:2]) for p in r] for r in rings[1:]])
                     for rings in polygons]
        except (ValueError, TypeError, IndexError) as error:
            raise AirspaceError(f"{where}: feature {ident!r}: {error}.") from None
        merged = shapely.union_all(parts)
        # One FIR may be drawn as several features (VAT-Spy splits some): they are one boundary.
        boundaries[ident] = _polygonal(shapely.union_all([boundaries[ident], merged]) if ident in boundaries else merged)
    if not boundaries:
        raise AirspaceError(f"{filename} line 1: the FeatureCollection has no features.")
    return boundaries


# -- the folder --------------------------------------------------------------------------------------


def airspace_files(folder: Path) -> list[Path]:
    """The files of `folder` vatstats reads, in a stable order: vatSys `Volumes.xml` with its
    `Sectors.xml`, and every `*.geojson` (searched recursively)."""
    found = [p for p in folder.rglob("*") if p.is_file() and (
        p.name in (VATSYS_VOLUMES, VATSYS_SECTORS) or p.suffix.lower() == ".geojson")]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def files_digest(folder: Path, files: Iterable[Path] | None = None) -> str:
    """sha256 over the files' relative names and bytes: changes exactly when the airspace does."""
    digest = hashlib.sha256()
    for path in airspace_files(folder) if files is None else files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_airspace(folder: Path) -> Airspace:
    """Everything in `folder` as one Airspace, or AirspaceError naming the file, line and problem."""
    if not folder.is_dir():
        raise AirspaceError(f"{folder}: the airspace folder does not exist.")
    files = airspace_files(folder)
    if not files:
        raise AirspaceError(f"{folder}: no Volumes.xml/Sectors.xml or *.geojson files in the airspace folder.")
    boundaries: dict[str, BaseGeometry] = {}
    volumes: dict[str, Volume] = {}
    sectors: dict[str, Sector] = {}
    by_dir: dict[Path, dict[str, Path]] = {}
    for path in files:
        if path.suffix.lower() != ".geojson":
            by_dir.setdefault(path.parent, {})[path.name] = path

    def add(kind: str, into: dict, items: dict, source: str) -> None:
        repeated = sorted(set(into) & set(items))
        if repeated:
            raise AirspaceError(f"{source} line 1: {kind} {', '.join(repeated)} already defined in another file.")
        into.update(items)

    for _, pair in sorted(by_dir.items()):
        if VATSYS_VOLUMES not in pair or VATSYS_SECTORS not in pair:
            present = next(iter(pair.values()))
            missing = VATSYS_SECTORS if VATSYS_VOLUMES in pair else VATSYS_VOLUMES
            raise AirspaceError(f"{present.relative_to(folder)} line 1: {missing} is missing beside it.")
        volumes_name = pair[VATSYS_VOLUMES].relative_to(folder).as_posix()
        sectors_name = pair[VATSYS_SECTORS].relative_to(folder).as_posix()
        found_boundaries, found_volumes = parse_vatsys_volumes(pair[VATSYS_VOLUMES].read_bytes(), volumes_name)
        found_sectors = parse_vatsys_sectors(pair[VATSYS_SECTORS].read_bytes(), found_volumes, sectors_name)
        add("boundaries", boundaries, found_boundaries, volumes_name)
        add("volumes", volumes, found_volumes, volumes_name)
        add("sectors", sectors, found_sectors, sectors_name)
    for path in files:
        if path.suffix.lower() != ".geojson":
            continue
        name = path.relative_to(folder).as_posix()
        found = parse_geojson_boundaries(path.read_bytes(), name)
        add("boundaries", boundaries, found, name)
        fir_volumes = {ident: Volume(ident, SURFACE_FT, UNLIMITED_FT, (ident,), geometry, name)
                       for ident, geometry in found.items()}
        add("volumes", volumes, fir_volumes, name)
        add("sectors", sectors, {ident: Sector(ident, ident, None, None, (ident,), (), name) for ident in found}, name)
    return Airspace(boundaries, volumes, sectors, tuple(p.relative_to(folder).as_posix() for p in files),
                    files_digest(folder, files))
