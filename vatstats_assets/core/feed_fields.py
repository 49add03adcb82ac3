"""Reading one field of a feed record: the checks and conversions every record builder shares.

Required fields raise BadRecord with a reason that names the field but not the value, so reasons
aggregate into useful counts; optional fields never raise. Used by the record-at-a-time parser
(feed_parse.py) and the column-at-a-time one for pilots (pilot_columns.py), which must agree.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from vatstats_assets.core.feed_model import FlightPlan
from vatstats_assets.core.feed_values import (
    parse_altitude_ft,
    parse_cruise_tas_kt,
    parse_feed_timestamp,
)

# Real callsigns are at most a dozen characters ("1313538_OBS"). A callsign is part of every
# connection's key, and PostgreSQL cannot index a key of more than about 2.7 kB: one absurd
# callsign would otherwise make every tick it appears in fail as a whole.
MAX_CALLSIGN_LENGTH = 32


class BadRecord(Exception):
    """One record is unusable; its reason is counted and the snapshot goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason



# A pilot's plan comes back unchanged snapshot after snapshot: each distinct plan is built once
# (a quarter of a 1,500-pilot snapshot's parsing). The key holds every field's value and its type
# (1, 1.0 and True are equal as keys but not as fields); the memo is emptied when it fills.
_PLAN_MEMO_LIMIT = 50_000
_plan_memo: dict[tuple, FlightPlan] = {}


def flight_plan(plan: Any) -> FlightPlan | None:
    # Anything but an object (null, or junk) means no usable plan; the pilot's
    # position is still worth keeping, so this never rejects the record.
    if type(plan) is not dict:
        return None
    try:
        key = (*plan.items(), *map(type, plan.values()))
        built = _plan_memo.get(key)
    except TypeError:  # a value that cannot be a key (a list, an object): built every time
        return build_flight_plan(plan)
    if built is None:
        built = build_flight_plan(plan)
        if len(_plan_memo) >= _PLAN_MEMO_LIMIT:
            _plan_memo.clear()
        _plan_memo[key] = built
    return built


def build_flight_plan(plan: dict[str, Any]) -> FlightPlan:
    get = plan.get
    return FlightPlan(  # positional, in FlightPlan's field order (see _pilot)
        text(get("flight_rules")),
        text(get("aircraft")),
        text(get("aircraft_faa")),
        text(get("aircraft_short")),
        icao(get("departure")),
        icao(get("arrival")),
        icao(get("alternate")),
        parse_cruise_tas_kt(get("cruise_tas")),
        parse_altitude_ft(get("altitude")),
        text(get("deptime")),
        text(get("enroute_time")),
        text(get("fuel_time")),
        text(get("remarks")),
        text(get("route")),
        int_or_none(get("revision_id")),
        squawk(get("assigned_transponder")),
    )


# --- fields -------------------------------------------------------------------------
# Required fields raise BadRecord with a reason that names the field but not the
# value, so reasons aggregate into useful counts. Optional fields never raise.


def required_int(record: dict[str, Any], key: str) -> int:
    value = record.get(key)
    if type(value) is int:
        return value
    if value is None:
        raise BadRecord(f"{key} is missing")
    number = int_or_none(value)
    if number is None:
        raise BadRecord(f"{key} is not a number")
    return number


def cid(record: dict[str, Any]) -> int:
    # An identity, unlike a measurement: never rounded, so 1234.5 is refused.
    value = record.get("cid")
    if type(value) is int:
        return value
    if value is None:
        raise BadRecord("cid is missing")
    if type(value) is str and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    if type(value) is float and value.is_integer():
        return int(value)
    raise BadRecord("cid is not an integer")


def coordinate(record: dict[str, Any], key: str, limit: float) -> float:
    value = record.get(key)
    number: float | None
    if type(value) is float or type(value) is int:
        number = float(value)
    elif value is None:
        raise BadRecord(f"{key} is missing")
    else:
        number = float_or_none(value)
        if number is None:
            raise BadRecord(f"{key} is not a number")
    if not -limit <= number <= limit:
        raise BadRecord(f"{key} is out of range")
    return number


def timestamp(record: dict[str, Any], key: str) -> datetime:
    value = record.get(key)
    if value is None:
        raise BadRecord(f"{key} is missing")
    try:
        return parse_feed_timestamp(value)
    except ValueError:
        raise BadRecord(f"{key} is not a valid timestamp") from None


def callsign(record: dict[str, Any]) -> str:
    value = record.get("callsign")
    if type(value) is not str:
        raise BadRecord("callsign is missing" if value is None else "callsign is not a string")
    stripped = value.strip()
    if not stripped:
        raise BadRecord("callsign is missing")
    if len(stripped) > MAX_CALLSIGN_LENGTH:
        raise BadRecord(f"callsign is longer than {MAX_CALLSIGN_LENGTH} characters")
    return stripped


def name(record: dict[str, Any]) -> str:
    value = record.get("name")
    return value if type(value) is str else ""


def int_or_none(value: Any) -> int | None:
    if type(value) is int:
        return value
    if type(value) is float:
        return round(value) if math.isfinite(value) else None
    if type(value) is str:
        try:
            return int(value.strip())
        except ValueError:
            number = float_or_none(value)
            return None if number is None else round(number)
    return None


def float_or_none(value: Any) -> float | None:
    if type(value) is float or type(value) is int:
        return float(value)
    if type(value) is str:
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def text(value: Any) -> str | None:
    if type(value) is not str:
        return None
    return value.strip() or None


def icao(value: Any) -> str | None:
    if type(value) is not str:
        return None
    return value.strip().upper() or None


def squawk(value: Any) -> str | None:
    # A transponder code is four octal digits; a number would lose its leading zeros.
    if type(value) is int:
        return f"{value:04d}"
    return text(value)


def atis_text(value: Any) -> str | None:
    if type(value) is list:
        joined = "\n".join(line for line in value if type(line) is str)
        return joined or None
    return text(value)
