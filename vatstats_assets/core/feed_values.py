"""Conversions of single feed values: timestamps, altitudes, speeds, frequencies.

Each function reads one field as VATSIM publishes it, in any of the formats seen
across the feed's history, and returns the project's unit (aware UTC datetime, feet,
knots, kHz). Timestamps are identity, so a bad one raises; the flight-plan and
frequency values are free text typed by people, so anything unreadable becomes None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

# The feed writes ISO 8601 with 0-7 fractional digits (.NET ticks) and a 'Z'.
# Python's fromisoformat also takes forms the feed never uses (date only, basic
# format, a space separator); the pattern keeps those out.
_DATE_AND_TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?"
_FEED_TIMESTAMP = re.compile(_DATE_AND_TIME + r"(?:Z|[+-]\d{2}:?\d{2})?")
# Many timestamps in UTC ('Z'), one a line: what a feed's pilots carry, checked in one match.
_UTC_LINES = re.compile(f"(?:{_DATE_AND_TIME}Z\n)*")

# Filed cruise altitudes: "FL380", "F350", "A045", "35000", "320", "S1130", "M0840", "5500FT".
_FILED_ALTITUDE = re.compile(r"(FL|F|A|S|M)?(\d{1,6})(FT)?")

# Cruise speeds: "450", "N0450" (knots), "K0830" (km/h), "M082" (Mach).
_FILED_SPEED = re.compile(r"(N|K|M)?(\d{1,5})")

_FREQUENCY_MHZ = re.compile(r"(\d{1,3})(?:\.(\d{1,6}))?")

_FEET_PER_METRE = 3.28084
_KNOTS_PER_KMH = 1 / 1.852

# No aircraft cruises below 1,000 ft, so a bare number under 1000 is a flight level
# filed without its "FL": the real 2021 feed has "320" on a B77W cruising at 36,987 ft.
_BARE_FLIGHT_LEVEL_BELOW = 1000


def parse_feed_timestamp(value: str) -> datetime:
    """Read a feed timestamp as aware UTC.

    Accepts 0-7 fractional digits (digits past the sixth are truncated, as .NET ticks
    are finer than Python's microseconds) and a 'Z' or numeric offset. A timestamp with
    no zone at all is read as UTC, the only zone VATSIM publishes. Raises ValueError.
    """
    if type(value) is not str or _FEED_TIMESTAMP.fullmatch(value) is None:
        raise ValueError(f"not a feed timestamp: {value!r}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:  # the right shape, but e.g. February 30th
        raise ValueError(f"not a feed timestamp: {value!r} ({error})") from None
    if moment.tzinfo is UTC:
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_utc_feed_timestamps(values: Sequence[object]) -> list[datetime] | None:
    """Many feed timestamps at once, each as parse_feed_timestamp reads it, when every one is
    text in UTC ('Z'); None otherwise (the caller then reads them one by one, which says why).

    One pattern match over them all and fromisoformat mapped in C: half the time of a call each
    (a 1,500-pilot snapshot has 3,000). A value holding a newline could pass the joined match
    as two lines, but fromisoformat refuses it, and the answer is then None too.
    """
    try:
        if _UTC_LINES.fullmatch("\n".join(values) + "\n") is None:  # type: ignore[arg-type]  # else TypeError
            return None
        return list(map(datetime.fromisoformat, values))  # type: ignore[arg-type]  # all text: joined
    except (TypeError, ValueError):  # a value not text; a date that does not exist
        return None


def parse_altitude_ft(value: str | int | None) -> int | None:
    """A filed cruise altitude in feet, or None when none was filed or it cannot be read.

    "FL380"/"F350" -> 38000/35000, "A045" -> 4500, "35000" -> 35000, "320" -> 32000
    (a flight level without its prefix), "S1130"/"M0840" (metric, tens of metres) -> feet,
    "" / "VFR" / "0" -> None. An integer is taken as feet already.
    """
    if value is None or type(value) is bool:
        return None
    if isinstance(value, (int, float)):
        feet = round(value)
        return feet if feet > 0 else None
    if not isinstance(value, str):
        return None
    return _filed_altitude_ft(value)


# Filed values repeat across thousands of records ("FL350", "N0450", "122.800"): the text readers
# remember their answers (pure functions, bounded caches) instead of matching a pattern each time.
@lru_cache(maxsize=4096)
def _filed_altitude_ft(value: str) -> int | None:
    match = _FILED_ALTITUDE.fullmatch(value.replace(" ", "").upper())
    if match is None:
        return None
    prefix, digits, feet_suffix = match.groups()
    number = int(digits)
    if prefix in ("FL", "F", "A"):
        feet = number * 100
    elif prefix in ("S", "M"):
        feet = round(number * 10 * _FEET_PER_METRE)
    elif feet_suffix is None and number < _BARE_FLIGHT_LEVEL_BELOW:
        feet = number * 100
    else:
        feet = number
    return feet if feet > 0 else None


def parse_cruise_tas_kt(value: str | int | None) -> int | None:
    """A filed true airspeed in knots, or None.

    "450" and "N0450" are knots, "K0830" km/h. A Mach number ("M082") has no speed in
    knots without the air temperature, so it gives None, as do "" and "0".
    """
    if value is None or type(value) is bool:
        return None
    if isinstance(value, (int, float)):
        knots = round(value)
        return knots if knots > 0 else None
    if not isinstance(value, str):
        return None
    return _filed_speed_kt(value)


@lru_cache(maxsize=4096)
def _filed_speed_kt(value: str) -> int | None:
    match = _FILED_SPEED.fullmatch(value.strip().upper())
    if match is None:
        return None
    unit, digits = match.groups()
    if unit == "M":
        return None
    knots = round(int(digits) * _KNOTS_PER_KMH) if unit == "K" else int(digits)
    return knots if knots > 0 else None


def parse_frequency_khz(value: str | None) -> int | None:
    """A radio frequency in integer kHz: "118.700" -> 118700, "199.998" -> 199998.

    Read from the text, not through a float, so no rounding error creeps in; digits
    beyond kHz are rounded half up. Empty or unreadable gives None.
    """
    if value is None or type(value) is bool:
        return None
    if isinstance(value, (int, float)):
        khz = round(value * 1000)  # a number can only be MHz, as the feed writes it
        return khz if khz > 0 else None
    if not isinstance(value, str):
        return None
    return _frequency_text_khz(value)


@lru_cache(maxsize=4096)
def _frequency_text_khz(value: str) -> int | None:
    match = _FREQUENCY_MHZ.fullmatch(value.strip())
    if match is None:
        return None
    megahertz, fraction = match.groups()
    fraction = fraction or ""
    khz = int(megahertz) * 1000 + int((fraction + "000")[:3])
    if len(fraction) > 3 and fraction[3] >= "5":
        khz += 1
    return khz if khz > 0 else None
