import pytest

from vatstats_assets.core.region import region


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
