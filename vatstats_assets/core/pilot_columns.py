"""A feed's pilots read a column at a time: feed_parse's fast paths for a well-formed section.

Read a record at a time, each of a 1,500-pilot snapshot's pilots costs seventeen function calls
(about 18 ms a snapshot); read a field at a time, one comprehension over the section each, the same
Pilots cost about 13 ms. Two sources take this path: the typed records msgspec decoded
(feed_records.py; `pilots_from_records`, the common case) and a section of plain dicts every record
of which is well formed (`pilots_by_column`: each required field of the exact type and in range).
Either returns exactly what the record-at-a-time parser returns, or None (a callsign twice, a bad
timestamp, ...), and the section is then read record by record, which names what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

import msgspec

from vatstats_assets.core import feed_fields as field
from vatstats_assets.core.feed_model import FlightPlan, Pilot
from vatstats_assets.core.feed_records import NotWellFormed, PilotRecord, PlanRecord, plan_record
from vatstats_assets.core.feed_values import parse_feed_timestamp, parse_utc_feed_timestamps

# Timestamps not all UTC text are read one at a time; a pilot's logon_time comes back every
# snapshot, so each distinct text is read once there (emptied when full).
_TIMESTAMP_MEMO_LIMIT = 50_000
_timestamp_memo: dict[str, datetime] = {}

# A plan comes back unchanged snapshot after snapshot: each distinct JSON text is built once.
_PLAN_MEMO_LIMIT = 50_000
_plan_text_memo: dict[bytes, FlightPlan | None] = {}
_UNSEEN = object()

# A Pilot from its fields, without the NamedTuple's constructor (a Python function).
_pilot_of = partial(tuple.__new__, Pilot)


def pilots_from_records(records: list[PilotRecord]) -> list[Pilot] | None:
    """The decoded records' pilots, in order, or None when one needs reading on its own.

    msgspec has already checked every field's type and the coordinates' range; a flight plan's
    types are checked when its text is first decoded.
    """
    try:
        return _pilots_of_records(records)
    except NotWellFormed:
        return None


def _pilots_of_records(records: list[PilotRecord]) -> list[Pilot] | None:
    return _pilots(
        cids=[r.cid for r in records],
        raw_callsigns=[r.callsign for r in records],
        latitudes=[r.latitude for r in records],
        longitudes=[r.longitude for r in records],
        altitudes=[r.altitude for r in records],
        groundspeeds=[r.groundspeed for r in records],
        headings=[r.heading for r in records],
        raw_logon_times=[r.logon_time for r in records],
        raw_last_updated=[r.last_updated for r in records],
        optional=lambda: (
            [r.name for r in records],
            [field.text(r.server) for r in records],
            [r.pilot_rating for r in records],
            [r.military_rating for r in records],
            [field.squawk(r.transponder) for r in records],
            [r.qnh_i_hg for r in records],
            [r.qnh_mb for r in records],
            [_plan(r.flight_plan) for r in records],
        ),
    )


def pilots_by_column(records: list[Any]) -> list[Pilot] | None:
    """The section's pilots, in its order, or None when a record needs reading on its own."""
    if not all(type(record) is dict for record in records):
        return None
    cids = [record.get("cid") for record in records]
    raw_callsigns = [record.get("callsign") for record in records]
    if not (all(type(v) is int for v in cids) and all(type(v) is str for v in raw_callsigns)):
        return None
    latitudes = [record.get("latitude") for record in records]
    longitudes = [record.get("longitude") for record in records]
    if not (all(type(v) is float and -90.0 <= v <= 90.0 for v in latitudes)
            and all(type(v) is float and -180.0 <= v <= 180.0 for v in longitudes)):
        return None
    altitudes = [record.get("altitude") for record in records]
    groundspeeds = [record.get("groundspeed") for record in records]
    headings = [record.get("heading") for record in records]
    if not all(type(v) is int for column in (altitudes, groundspeeds, headings) for v in column):
        return None
    # The optional fields never refuse a record: each is read by the record reader's own function.
    return _pilots(
        cids=cids, raw_callsigns=raw_callsigns, latitudes=latitudes, longitudes=longitudes,
        altitudes=altitudes, groundspeeds=groundspeeds, headings=headings,
        raw_logon_times=[record.get("logon_time") for record in records],
        raw_last_updated=[record.get("last_updated") for record in records],
        optional=lambda: (
            [v if type(v) is str else "" for v in (record.get("name") for record in records)],
            [field.text(record.get("server")) for record in records],
            [field.int_or_none(record.get("pilot_rating")) for record in records],
            [field.int_or_none(record.get("military_rating")) for record in records],
            [field.squawk(record.get("transponder")) for record in records],
            [field.float_or_none(record.get("qnh_i_hg")) for record in records],
            [field.int_or_none(record.get("qnh_mb")) for record in records],
            [field.flight_plan(record.get("flight_plan")) for record in records],
        ),
    )


def _pilots(
    *, cids: list[int], raw_callsigns: list[str], latitudes: list[float], longitudes: list[float],
    altitudes: list[int], groundspeeds: list[int], headings: list[int],
    raw_logon_times: list[Any], raw_last_updated: list[Any], optional: Callable[[], tuple[list[Any], ...]],
) -> list[Pilot] | None:
    """The checks both readers share (callsigns, timestamps), then the Pilots.

    `optional` gives the optional columns (name, server, pilot_rating, military_rating, transponder,
    qnh_i_hg, qnh_mb, flight_plan) once the section is known to be read here: none refuses a record.
    """
    callsigns = [v.strip() for v in raw_callsigns]
    if not all(0 < len(v) <= field.MAX_CALLSIGN_LENGTH for v in callsigns) or len(set(callsigns)) < len(callsigns):
        return None  # a callsign twice: which record stays is the record reader's rule
    logon_times = _timestamps(raw_logon_times)
    last_updated = _timestamps(raw_last_updated)
    if logon_times is None or last_updated is None:
        return None
    names, servers, pilot_ratings, military_ratings, transponders, qnh_i_hg, qnh_mb, plans = optional()
    return list(map(_pilot_of, zip(
        cids, names, callsigns, servers, pilot_ratings, military_ratings,
        latitudes, longitudes, altitudes, groundspeeds, headings,
        transponders, qnh_i_hg, qnh_mb, plans, logon_times, last_updated,
        strict=True,
    )))


def _plan(text: msgspec.Raw) -> FlightPlan | None:
    """The FlightPlan of a plan's JSON text (msgspec.Raw), built as the record reader builds it,
    once per distinct text; NotWellFormed when a field is not of its type."""
    key = bytes(text)
    built = _plan_text_memo.get(key, _UNSEEN)
    if built is _UNSEEN:
        record = plan_record(key)
        if len(_plan_text_memo) >= _PLAN_MEMO_LIMIT:
            _plan_text_memo.clear()
        built = _plan_text_memo[key] = None if record is None else field.build_flight_plan(_plan_fields(record))
    return built  # type: ignore[return-value]  # a FlightPlan or None, never _UNSEEN


def _plan_fields(record: PlanRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__struct_fields__}


def _timestamps(values: Sequence[Any]) -> list[datetime] | None:
    """Each value read as field.timestamp reads it, or None when one is missing or not a timestamp."""
    at_once = parse_utc_feed_timestamps(values)
    if at_once is not None:
        return at_once
    memo = _timestamp_memo
    if len(memo) > _TIMESTAMP_MEMO_LIMIT:
        memo.clear()
    read = []
    for value in values:
        moment = memo.get(value) if type(value) is str else None
        if moment is None:
            if type(value) is not str:
                return None
            try:
                moment = memo[value] = parse_feed_timestamp(value)
            except ValueError:
                return None
        read.append(moment)
    return read
