"""Single feed values: timestamps, filed altitudes and speeds, frequencies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vatstats_assets.core.feed import (
    parse_altitude_ft,
    parse_cruise_tas_kt,
    parse_feed_timestamp,
    parse_frequency_khz,
)
from vatstats_assets.core.feed_values import parse_utc_feed_timestamps

UTC_TIMESTAMPS = [
    ("2024-02-20T23:19:51Z", 0),
    ("2024-02-20T23:19:51.9Z", 900000),
    ("2024-02-20T23:19:51.94Z", 940000),
    ("2024-02-20T23:19:51.9474Z", 947400),
    ("2024-02-20T23:19:51.947440Z", 947440),
    ("2024-02-20T23:19:51.9474401Z", 947440),
]


@pytest.mark.parametrize(("text", "microsecond"), UTC_TIMESTAMPS)
def test_timestamps_with_zero_to_seven_fractional_digits_become_aware_utc(text, microsecond):
    moment = parse_feed_timestamp(text)
    assert moment == datetime(2024, 2, 20, 23, 19, 51, microsecond, tzinfo=UTC)
    assert moment.tzinfo is UTC


def test_seventh_fractional_digit_is_truncated_not_rounded_into_the_next_second():
    assert parse_feed_timestamp("2021-06-13T13:45:59.9999999Z") == datetime(
        2021, 6, 13, 13, 45, 59, 999999, tzinfo=UTC
    )


def test_a_numeric_offset_is_converted_to_utc():
    moment = parse_feed_timestamp("2024-02-21T01:19:51.5+02:00")
    assert moment == datetime(2024, 2, 20, 23, 19, 51, 500000, tzinfo=UTC)
    assert moment.tzinfo is UTC


def test_a_timestamp_without_a_zone_is_read_as_utc():
    assert parse_feed_timestamp("2024-02-20T23:19:51") == datetime(
        2024, 2, 20, 23, 19, 51, tzinfo=UTC
    )


NOT_FEED_TIMESTAMPS = [
    "",
    "yesterday",
    "2024-02-20",  # date only
    "20240220T231951Z",  # basic format
    "2024-02-20 23:19:51Z",  # space separator
    "2024-02-20T23:19:51.94744012Z",  # eight fractional digits
    "2024-02-20T23:19:51.Z",
    "2024-02-30T23:19:51Z",  # no such day
    "2024-02-20T25:19:51Z",
]


@pytest.mark.parametrize("text", NOT_FEED_TIMESTAMPS)
def test_anything_but_a_feed_timestamp_raises_value_error(text):
    with pytest.raises(ValueError, match="not a feed timestamp"):
        parse_feed_timestamp(text)


@pytest.mark.parametrize("value", [None, 1708471191, 1708471191.5])
def test_a_timestamp_that_is_not_a_string_raises_value_error(value):
    with pytest.raises(ValueError, match="not a feed timestamp"):
        parse_feed_timestamp(value)  # type: ignore[arg-type]


def test_many_utc_timestamps_read_at_once_are_what_reading_each_gives():
    texts = [text for text, _ in UTC_TIMESTAMPS] * 3
    at_once = parse_utc_feed_timestamps(texts)
    assert at_once == [parse_feed_timestamp(text) for text in texts]
    assert at_once is not None and all(moment.tzinfo is UTC for moment in at_once)


@pytest.mark.parametrize("odd", [
    *NOT_FEED_TIMESTAMPS, None, 1708471191, "2024-02-21T01:19:51.5+02:00", "2024-02-20T23:19:51",
    "2024-02-20T23:19:51Z\n2024-02-20T23:19:52Z",  # two lines in one value
])
def test_timestamps_with_one_not_utc_text_are_left_to_reading_one_by_one(odd):
    assert parse_utc_feed_timestamps(["2024-02-20T23:19:51Z", odd, "2024-02-20T23:19:52.5Z"]) is None


@pytest.mark.parametrize(
    ("filed", "feet"),
    [
        ("FL380", 38000),
        ("F350", 35000),
        ("fl 350", 35000),
        ("35000", 35000),
        ("9000", 9000),
        ("A045", 4500),
        ("320", 32000),  # a flight level filed without "FL"
        ("030", 3000),
        ("5500FT", 5500),
        ("500 ft", 500),
        ("S1130", 37073),  # metric level: 11,300 m
        ("M0840", 27559),  # metric altitude: 8,400 m
        (37000, 37000),
    ],
)
def test_filed_altitudes_become_feet(filed, feet):
    assert parse_altitude_ft(filed) == feet


@pytest.mark.parametrize("filed", ["", "   ", "VFR", "0", "OTP", "FL", "FL350/370", None, 0, True])
def test_filed_altitudes_that_say_nothing_become_none(filed):
    assert parse_altitude_ft(filed) is None


@pytest.mark.parametrize(
    ("filed", "knots"),
    [("484", 484), ("N0450", 450), ("K0830", 448), (" 99 ", 99), (420, 420)],
)
def test_filed_cruise_speeds_become_knots(filed, knots):
    assert parse_cruise_tas_kt(filed) == knots


@pytest.mark.parametrize("filed", ["", "0", "M082", "fast", None])
def test_filed_cruise_speeds_without_a_knots_value_become_none(filed):
    assert parse_cruise_tas_kt(filed) is None


@pytest.mark.parametrize(
    ("text", "khz"),
    [
        ("118.700", 118700),
        ("199.998", 199998),
        ("122.8", 122800),
        ("121", 121000),
        (" 124.455 ", 124455),
        ("118.0125", 118013),  # below kHz: rounded half up
        ("118.0124", 118012),
        (118.7, 118700),
    ],
)
def test_frequencies_become_integer_khz_without_float_error(text, khz):
    assert parse_frequency_khz(text) == khz


@pytest.mark.parametrize("text", [None, "", "n/a", "118,700", "1180.000", "000.000"])
def test_unreadable_frequencies_become_none(text):
    assert parse_frequency_khz(text) is None


@pytest.mark.parametrize("junk", [["FL350"], {"altitude": 35000}])
def test_a_list_or_object_where_a_filed_value_belongs_becomes_none(junk):
    # The readers cache their answers for text; junk that cannot be a cache key is still just None.
    assert parse_altitude_ft(junk) is None
    assert parse_cruise_tas_kt(junk) is None
    assert parse_frequency_khz(junk) is None
