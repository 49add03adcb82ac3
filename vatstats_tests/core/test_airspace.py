"""Reading the user's sector files: vatSys XML and GeoJSON, tolerantly, all or nothing."""

import shutil
from pathlib import Path

import pytest
import shapely

from vatstats_assets.core.airspace import (
    AirspaceError,
    files_digest,
    load_airspace,
    parse_ddmmss,
    parse_geojson_boundaries,
    parse_vatsys_sectors,
    parse_vatsys_volumes,
    unwrap_longitudes,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "airspace"


@pytest.fixture(scope="module")
def airspace():
    return load_airspace(FIXTURES)


def contains(geometry, latitude: float, longitude: float) -> bool:
    return bool(shapely.contains_xy(geometry, longitude, latitude))


def test_a_vatsys_point_is_read_as_signed_degrees_minutes_seconds() -> None:
    latitude, longitude = parse_ddmmss("-335648.000+1511042.000")
    assert latitude == pytest.approx(-(33 + 56 / 60 + 48 / 3600))
    assert longitude == pytest.approx(151 + 10 / 60 + 42 / 3600)
    assert parse_ddmmss("+013000.5-0013000")[1] == pytest.approx(-1.5)


@pytest.mark.parametrize("bad", ["-3356+15110", "-336048.000+1511042.000", "-335648.000+1911042.000", "abc"])
def test_a_malformed_vatsys_point_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_ddmmss(bad)


def test_longitudes_across_the_antimeridian_are_unwrapped_into_a_continuous_ring() -> None:
    assert unwrap_longitudes([170.0, -170.0, -175.0, 175.0]) == [170.0, 190.0, 185.0, 175.0]


def test_the_fixture_folder_loads_both_formats(airspace) -> None:
    assert set(airspace.sectors) == {"SY_APP", "ARL", "ELW", "NFFF_OCN", "YMMM", "YBBB", "NZZO", "NZZC"}
    assert airspace.files == ("Boundaries.geojson", "vatsys/Sectors.xml", "vatsys/Volumes.xml")
    assert len(airspace.digest) == 64


def test_a_sector_keeps_its_callsign_frequency_volumes_and_responsible_sectors(airspace) -> None:
    arl = airspace.sectors["ARL"]
    assert (arl.callsign, arl.frequency, arl.volumes, arl.responsible_sectors) == (
        "ML-ARL_CTR", "124.650", ("ARL", "ARL_OVER_SY"), ("SY_APP",))
    assert arl.full_name == "Armidale"


def test_the_terminal_area_lies_under_the_en_route_sector_by_altitude(airspace) -> None:
    tma, over = airspace.volumes["SY_TMA"], airspace.volumes["ARL_OVER_SY"]
    assert (tma.lower_ft, tma.upper_ft, over.lower_ft, over.upper_ft) == (0, 12500, 12500, 60000)
    assert tma.geometry.equals(over.geometry)
    # ARL's low volume is four boxes around the terminal area: one polygon with the area as a hole.
    arl = airspace.volumes["ARL"].geometry
    assert contains(arl, -33.0, 151.0) and not contains(arl, -33.95, 151.18)


def test_a_sector_across_the_antimeridian_holds_points_on_both_sides(airspace) -> None:
    oceanic = airspace.volumes["NFFF_OCN"].geometry
    assert contains(oceanic, -17.75, 177.44) and contains(oceanic, -17.0, -175.0)
    assert not contains(oceanic, -17.0, 0.0) and not contains(oceanic, -17.0, 160.0)
    assert oceanic.bounds[0] >= -180 and oceanic.bounds[2] <= 180


def test_a_geojson_polygon_keeps_its_hole_and_crosses_the_antimeridian(airspace) -> None:
    oceanic = airspace.boundaries["NZZO"]
    assert contains(oceanic, -30.0, 175.0) and contains(oceanic, -30.0, -150.0)
    assert not contains(oceanic, -40.0, 172.0)  # the domestic FIR in its middle
    assert contains(airspace.boundaries["NZZC"], -40.0, 172.0)


def test_a_geojson_boundary_is_a_volume_from_the_surface_up(airspace) -> None:
    volume = airspace.volumes["YBBB"]
    assert volume.lower_ft < 0 and volume.upper_ft > 100_000
    assert contains(volume.geometry, -29.0, 168.0)  # the island part of the MultiPolygon


def test_covering_sectors_follow_responsibility_upwards(airspace) -> None:
    assert airspace.covering("SY_APP") == {"ARL", "ELW"}
    assert airspace.covering("ELW") == set()


def test_the_digest_changes_exactly_when_a_file_does(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "a")
    before = files_digest(tmp_path / "a")
    assert files_digest(tmp_path / "a") == before
    sectors = tmp_path / "a" / "vatsys" / "Sectors.xml"
    sectors.write_text(sectors.read_text().replace("124.400", "124.450"))
    assert files_digest(tmp_path / "a") != before


VOLUMES = b"""<Volumes>
  <Boundaries>
    <Boundary Name="A">-330000.000+1500000.000/-330000.000+1510000.000/-340000.000+1510000.000</Boundary>
  </Boundaries>
  <Volumes>
    <Volume Name="V" LowerLimit="0" UpperLimit="10000"><Boundaries>A</Boundaries></Volume>
  </Volumes>
</Volumes>"""


@pytest.mark.parametrize(
    ("volumes", "message"),
    [
        (VOLUMES.replace(b"</Volumes>\n</Volumes>", b"</Volume>"), "Volumes.xml line 7: not well-formed XML (mismatched tag)"),
        (VOLUMES.replace(b"+1510000.000/-34", b"+1510000.000/-99"), "Volumes.xml line 3: boundary 'A'"),
        (VOLUMES.replace(b"UpperLimit=\"10000\"", b"UpperLimit=\"0\""), "Volumes.xml line 6: volume 'V' has LowerLimit 0"),
        (VOLUMES.replace(b"<Boundaries>A</Boundaries></Volume>", b"<Boundaries>A,B</Boundaries></Volume>"),
         "Volumes.xml line 6: volume 'V' names unknown boundaries B"),
        (VOLUMES.replace(b"UpperLimit=\"10000\"", b"UpperLimit=\"FL100\""), "is 'FL100', not a number of feet"),
    ],
)
def test_a_bad_volumes_file_is_named_with_its_line_in_one_sentence(volumes: bytes, message: str) -> None:
    with pytest.raises(AirspaceError) as error:
        parse_vatsys_volumes(volumes)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_sector_naming_an_unknown_volume_is_refused_with_its_line() -> None:
    _, volumes = parse_vatsys_volumes(VOLUMES)
    sectors = b'<Sectors>\n<Sector Name="S" Callsign="X_CTR" Frequency="124.5">\n<Volumes>V,W</Volumes>\n</Sector>\n</Sectors>'
    with pytest.raises(AirspaceError, match=r"Sectors.xml line 2: sector 'S' names unknown volumes W\."):
        parse_vatsys_sectors(sectors, volumes)


def test_a_frequency_in_hertz_reads_as_megahertz() -> None:
    _, volumes = parse_vatsys_volumes(VOLUMES)
    sectors = parse_vatsys_sectors(b'<Sectors><Sector Name="S" Frequency="124500000"><Volumes>V</Volumes></Sector></Sectors>', volumes)
    assert sectors["S"].frequency == "124.500" and sectors["S"].callsign is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'{"type": "FeatureCollection",\n "features": [\n', "fir.geojson line 3: not valid JSON"),
        (b'{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {}, "geometry": '
         b'{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}', "fir.geojson line 2: feature 1 has no id"),
        (b'{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {"id": "X"},\n"geometry": '
         b'{"type": "Point", "coordinates": [0, 0]}}]}', "fir.geojson line 2: feature 'X': its geometry is Point"),
        (b'{"type": "Topology"}', "fir.geojson line 1: not a GeoJSON FeatureCollection"),
    ],
)
def test_a_bad_geojson_file_is_named_with_its_line_in_one_sentence(text: bytes, message: str) -> None:
    with pytest.raises(AirspaceError) as error:
        parse_geojson_boundaries(text, "fir.geojson")
    assert message in str(error.value)


def test_nothing_is_half_loaded_when_one_file_is_bad(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "a")
    (tmp_path / "a" / "vatsys" / "Sectors.xml").write_text("<Sectors><Sector Name='S'><Volumes>NOPE</Volumes></Sector></Sectors>")
    with pytest.raises(AirspaceError, match="vatsys/Sectors.xml line 1: sector 'S' names unknown volumes NOPE"):
        load_airspace(tmp_path / "a")


def test_a_volumes_file_without_its_sectors_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Volumes.xml").write_bytes(VOLUMES)
    with pytest.raises(AirspaceError, match="Volumes.xml line 1: Sectors.xml is missing beside it"):
        load_airspace(tmp_path)


def test_an_empty_or_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AirspaceError, match="no Volumes.xml/Sectors.xml or \\*.geojson"):
        load_airspace(tmp_path)
    with pytest.raises(AirspaceError, match="does not exist"):
        load_airspace(tmp_path / "nowhere")
