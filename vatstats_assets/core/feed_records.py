"""A well-formed feed body decoded straight into typed pilot records: feed_parse's fast path.

Decoding a 1,500-pilot body with orjson and then reading each pilot's fields out of its dict
costs about 20 ms of Python a snapshot, most of it in dict lookups and in the flight-plan memo's
key. msgspec (C) decodes the pilots into the records below while it reads the JSON, checking each
field's type and range as it goes. A flight plan is kept as its JSON text: a plan comes back
unchanged snapshot after snapshot, so its text is the memo key (pilot_columns.py), and only a text
not seen before is decoded (`plan_record`), which saves decoding and hashing 1,200 plans a
snapshot (3 ms of 7). The types are strict on purpose: a body any pilot of which holds something
else (a float altitude, a number as text, a plan that is not an object) is not read here at all,
and feed_parse reads it as before, record by record where needed, naming what was wrong. So this path only ever sees values
the record reader would read unchanged, and must return exactly what it returns (tested).

The other sections are decoded as plain values (what orjson returns) and read by feed_parse.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

Latitude = Annotated[float, msgspec.Meta(ge=-90.0, le=90.0)]
Longitude = Annotated[float, msgspec.Meta(ge=-180.0, le=180.0)]


class NotWellFormed(ValueError):
    """A part decoded after the body (a flight plan) is not of the expected types."""


class PlanRecord(msgspec.Struct, frozen=True):
    """A filed flight plan as the feed writes it: each field has one JSON type (or null)."""

    flight_rules: str | None = None
    aircraft: str | None = None
    aircraft_faa: str | None = None
    aircraft_short: str | None = None
    departure: str | None = None
    arrival: str | None = None
    alternate: str | None = None
    cruise_tas: str | int | None = None
    altitude: str | int | None = None
    deptime: str | None = None
    enroute_time: str | None = None
    fuel_time: str | None = None
    remarks: str | None = None
    route: str | None = None
    revision_id: int | None = None
    assigned_transponder: str | int | None = None


NO_PLAN = msgspec.Raw(b"null")


class PilotRecord(msgspec.Struct):
    """One pilot whose required fields have the feed's own types; optional ones may be absent."""

    cid: int
    callsign: str
    latitude: Latitude
    longitude: Longitude
    altitude: int
    groundspeed: int
    heading: int
    logon_time: str
    last_updated: str
    name: str = ""
    server: str | None = None
    pilot_rating: int | None = None
    military_rating: int | None = None
    transponder: str | int | None = None
    qnh_i_hg: float | None = None
    qnh_mb: int | None = None
    # The plan object's JSON text, decoded by `plan_record` when it is new (null when absent).
    flight_plan: msgspec.Raw = NO_PLAN


class FeedRecords(msgspec.Struct):
    """A v3 body with typed pilots; every other section as decoded JSON (None when absent)."""

    pilots: list[PilotRecord]
    general: Any = None
    controllers: Any = None
    atis: Any = None
    servers: Any = None
    prefiles: Any = None
    facilities: Any = None
    ratings: Any = None
    pilot_ratings: Any = None
    military_ratings: Any = None

    def sections(self) -> dict[str, Any]:
        """The sections other than pilots, keyed as in the feed, for feed_parse's section readers."""
        return {name: getattr(self, name) for name in self.__struct_fields__ if name != "pilots"}


_DECODER = msgspec.json.Decoder(FeedRecords)
_PLAN_DECODER = msgspec.json.Decoder(PlanRecord | None)


def decode_well_formed(text: bytes | str) -> FeedRecords | None:
    """The body's records, or None when it is not JSON or any pilot is not of the expected types."""
    try:
        return _DECODER.decode(text)
    except msgspec.DecodeError:  # ValidationError is one too
        return None


def plan_record(text: bytes) -> PlanRecord | None:
    """A pilot's flight_plan text as its record (None for null); NotWellFormed when a field is not
    of its type, and the body is then read by the plain reader."""
    try:
        return _PLAN_DECODER.decode(text)
    except msgspec.DecodeError as error:
        raise NotWellFormed(str(error)) from None
