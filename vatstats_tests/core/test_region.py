from pathlib import Path

import numpy as np
import pytest

from vatstats_assets.core.airspace import load_airspace
from vatstats_assets.core.region import BoundaryRegion, boundary_region, region


def test_vatpac_contains_a_pilot_over_sydney() -> None:
    assert region("vatpac").contains_pilot(-33.9, 151.2, None, None)


def test_vatpac_contains_a_pilot_over_the_pacific_east_of_the_antimeridian() -> None:
    assert region("vatpac").contains_pilot(-17.5, -149.6, None, None)  # Tahiti


def test_vatpac_contains_a_pilot_anywhere_filed_to_a_region_airport() -> None:
    assert region("vatpac").contains_pilot(51.5, -0.4, "EGLL", "YSSY")


def test_vatpac_leaves_out_a_pilot_over_europe_with_a_european_plan() -> None:
    assert not region("vatpac").contains_pilot(51.5, -0.4, "EGLL", "LFPG")


@pytest.mark.parametrize("callsign", ["ML-SNO_CTR", "ML_APP", "YSSY_TWR", "NZAA_GND", "NFFN_APP", "BN-ISA_CTR", "SY_TWR"])
def test_vatpac_contains_its_controllers(callsign: str) -> None:
    assert region("vatpac").contains_controller(callsign)


@pytest.mark.parametrize("callsign", ["EGLL_TWR", "KJFK_GND", "EDGG_CTR", "LON_S_CTR", "VATSIM_SUP"])
def test_vatpac_leaves_out_other_controllers(callsign: str) -> None:
    assert not region("vatpac").contains_controller(callsign)


def test_global_keeps_everything() -> None:
    everywhere = region("global")
    assert everywhere.contains_pilot(51.5, -0.4, "EGLL", "LFPG") and everywhere.contains_controller("EGLL_TWR")


def test_an_unknown_region_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="vatpac or global"):
        region("europe")


# ----- boundary regions: the synthetic FIRs of fixtures/airspace (YMMM over south-east Australia,
# YBBB north of it, NZZO across the antimeridian with NZZC cut out of it as a hole) ------------------

FIRS = load_airspace(Path(__file__).resolve().parents[1] / "fixtures" / "airspace")
AIRPORTS = [("YSSY", -33.946, 151.177), ("YBCS", -16.885, 145.755), ("NZAA", -37.008, 174.792),
            ("EGLL", 51.471, -0.461), ("NSFA", -13.830, -172.008)]


def firs(*ids: str) -> BoundaryRegion:
    sectors = [(sector.callsign, FIRS.volumes[sector.volumes[0]].geometry)
               for sector in FIRS.sectors.values() if sector.callsign]
    return boundary_region(ids, [FIRS.boundaries[i] for i in ids], AIRPORTS, sectors)


def test_a_boundary_region_holds_the_pilots_inside_its_boundary_and_no_others() -> None:
    ymmm = firs("YMMM")
    assert ymmm.name == "YMMM"
    assert ymmm.contains_pilot(-33.9, 151.2, None, None)  # over Sydney
    assert not ymmm.contains_pilot(-20.0, 150.0, None, None)  # YBBB, further north
    assert not ymmm.contains_pilot(51.5, -0.4, "EGLL", "LFPG")


def test_a_boundary_across_the_antimeridian_holds_pilots_on_both_sides_of_it() -> None:
    nzzo = firs("NZZO")
    assert nzzo.contains_pilot(-20.0, 179.9, None, None) and nzzo.contains_pilot(-20.0, -179.9, None, None)
    assert nzzo.contains_pilot(-20.0, 180.0, None, None)  # on the cut: an edge counts as inside
    assert not nzzo.contains_pilot(-20.0, -120.0, None, None)


def test_a_boundarys_hole_is_outside_it() -> None:
    assert not firs("NZZO").contains_pilot(-37.0, 174.8, None, None)  # Auckland, in NZZC
    assert firs("NZZC").contains_pilot(-37.0, 174.8, None, None)


def test_pilots_filed_to_or_from_the_regions_airports_belong_wherever_they_are() -> None:
    ymmm = firs("YMMM")
    assert ymmm.airports == frozenset({"YSSY"})
    assert ymmm.contains_pilot(51.5, -0.4, "EGLL", "YSSY") and ymmm.contains_pilot(51.5, -0.4, "yssy", None)
    assert not ymmm.contains_pilot(51.5, -0.4, "EGLL", "YBCS")
    assert firs("YMMM", "YBBB").contains_pilot(51.5, -0.4, "EGLL", "YBCS")


@pytest.mark.parametrize("ids", [("NZZO", "YMMM"), ("vatpac",)])
def test_the_snapshot_test_agrees_with_the_pilot_by_pilot_one(ids: tuple[str, ...]) -> None:
    region_ = region("vatpac") if ids == ("vatpac",) else firs(*ids)
    rng = np.random.default_rng(3)
    latitudes, longitudes = rng.uniform(-60, 10, 2000), rng.uniform(-180, 180, 2000)
    departures = rng.choice(["YSSY", "EGLL", None], 2000).tolist()
    arrivals = rng.choice(["NSFA", "NZAA", None], 2000).tolist()
    together = region_.contains_pilots(latitudes.tolist(), longitudes.tolist(), departures, arrivals)
    one_by_one = [region_.contains_pilot(*p) for p in zip(latitudes, longitudes, departures, arrivals, strict=True)]
    assert together.tolist() == one_by_one and 0 < together.sum() < 2000


def test_a_boundary_region_holds_its_airports_firs_and_sectors_controllers() -> None:
    ymmm = firs("YMMM")
    for callsign in ("YSSY_TWR", "YSSY_1_APP", "YMMM_CTR", "YMMM_FSS", "ML-ARL_CTR", "ML-ELW_CTR"):
        assert ymmm.contains_controller(callsign), callsign
    for callsign in ("EGLL_TWR", "NZAA_GND", "YBBB_CTR", "NFFF_CTR"):
        assert not ymmm.contains_controller(callsign), callsign
