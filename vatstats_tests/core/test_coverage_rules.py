"""The channel, service and range rules of ATC coverage (core/coverage_rules.py)."""

import pytest

from vatstats_assets.core.coverage_rules import (
    DEFAULT_RANGE_NM,
    channel_hz,
    is_controllable_channel,
    khz_to_hz,
    provides_service,
    station_range_nm,
)


@pytest.mark.parametrize(("name_hz", "carrier_hz"), [
    (118_005_000, 118_000_000),  # the 8.33 name of the block's first carrier
    (118_010_000, 118_008_333),
    (118_015_000, 118_016_667),
    (118_030_000, 118_025_000),  # next block
    (132_845_000, 132_841_667),
])
def test_an_833_channel_name_and_its_carrier_are_the_same_channel(name_hz, carrier_hz):
    assert channel_hz(name_hz) == channel_hz(carrier_hz) == carrier_hz


def test_25_khz_channels_are_their_own_carrier():
    assert channel_hz(124_500_000) == 124_500_000
    assert channel_hz(118_025_000) == 118_025_000


def test_neighbouring_833_channels_stay_apart():
    channels = {channel_hz(f) for f in (118_005_000, 118_010_000, 118_015_000, 118_030_000)}
    assert len(channels) == 4


def test_an_off_raster_reading_goes_to_the_nearest_carrier():
    assert channel_hz(118_008_000) == 118_008_333
    assert channel_hz(124_499_990) == 124_500_000
    assert channel_hz(118_024_000) == 118_025_000


def test_data_feed_khz_matches_the_transceiver_hz():
    assert channel_hz(khz_to_hz(124_500)) == channel_hz(124_500_000)


def test_unicom_guard_and_the_untuned_frequency_are_not_controllable():
    assert not is_controllable_channel(channel_hz(122_800_000))
    assert not is_controllable_channel(channel_hz(121_500_000))
    assert not is_controllable_channel(channel_hz(199_998_000))
    assert is_controllable_channel(channel_hz(118_700_000))


def test_observers_and_atis_provide_no_service():
    assert not provides_service(0, False)
    assert not provides_service(4, True)
    assert all(provides_service(f, False) for f in range(1, 7))


def test_range_is_the_feeds_visual_range_else_the_facility_default():
    assert station_range_nm(4, 35) == 35.0
    assert station_range_nm(6, 0) == DEFAULT_RANGE_NM[6]
    assert station_range_nm(5, None) == DEFAULT_RANGE_NM[5]
    assert station_range_nm(6, 99_999) == 2000.0
