"""The API's parameters checked and converted, each refusal one sentence naming the parameter.

FastAPI checks types and bounds declared on the routes (limit, cid); what needs a domain rule is
here: UTC days and times within the years the network can have data for, callsigns and airport
codes by the characters they can hold. Anything else (SQL fragments, control characters, 10,000
characters) is refused here, before a query runs; the queries bind every value anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from vatstats_assets.api.errors import InvalidParameter

# VATSIM started in 2001; the upper bound keeps `day + 1` and date arithmetic far from year 9999.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
# A finished range is read page by page, but one request should not plan a scan over decades.
MAX_RANGE_DAYS = 366

CALLSIGN = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,15}")  # what VATSIM accepts as a callsign, upper-cased
AIRPORT = re.compile(r"[A-Z0-9]{3,4}")  # ICAO codes (and the 3-character pseudo-ICAO of a few fields)
# A sector's or boundary's name as the division's files spell it (ARL, SY_APP, NZZO): case kept.
SECTOR = re.compile(r"[A-Za-z0-9][A-Za-z0-9_. -]{0,63}")


@dataclass(frozen=True)
class DayRange:
    start: date
    end: date  # inclusive

    @property
    def start_time(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time(), tzinfo=UTC)

    @property
    def end_time(self) -> datetime:
        """The first moment after the range."""
        return datetime.combine(self.end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


def day(name: str, text: str) -> date:
    try:
        value = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise InvalidParameter(f"the query parameter {name!r} must be a date like 2026-11-20")
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidParameter(f"the query parameter {name!r} must be a day between {FIRST_DAY} and {LAST_DAY}")
    return value


def day_range(start: str, end: str | None) -> DayRange:
    """`start` to `end` inclusive (`end` defaults to `start`)."""
    first = day("start", start)
    last = day("end", end) if end is not None else first
    if last < first:
        raise InvalidParameter("the query parameter 'end' must not be before 'start'")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidParameter(f"the query parameters 'start' and 'end' may span at most {MAX_RANGE_DAYS} days")
    return DayRange(first, last)


def utc_time(name: str, text: str) -> datetime:
    """An ISO 8601 time; without an offset it is taken as UTC (the feed's times are UTC)."""
    try:
        value = datetime.fromisoformat(text) if 10 <= len(text) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise InvalidParameter(f"the path parameter {name!r} must be a UTC time like 2026-11-20T06:00:00Z")
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise InvalidParameter(f"the path parameter {name!r} must be a time between {FIRST_DAY} and {LAST_DAY}")
    return value


def callsign(text: str, name: str = "callsign", where: str = "path") -> str:
    value = text.strip().upper() if text.isascii() else ""
    if not CALLSIGN.fullmatch(value):
        raise InvalidParameter(
            f"the {where} parameter {name!r} must be 1 to 16 letters, digits, '_' or '-' (a letter or digit first), like QFA1 or ML_CTR"
        )
    return value


def airport(text: str, name: str = "airport", or_else: str = "") -> str:
    value = text.strip().upper() if text.isascii() else ""
    if not AIRPORT.fullmatch(value):
        raise InvalidParameter(f"the parameter {name!r} must be an ICAO code of 3 or 4 letters or digits, like YSSY"
                               + or_else)
    return value


def sector(text: str) -> str:
    value = text.strip() if text.isascii() else ""
    if not SECTOR.fullmatch(value):
        raise InvalidParameter(
            "the parameter 'sector' must be 1 to 64 letters, digits, spaces, '_', '.' or '-' (a letter or digit "
            "first), like ARL or SY_APP"
        )
    return value
