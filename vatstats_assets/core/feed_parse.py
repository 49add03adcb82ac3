"""Parse a VATSIM v3 feed body into a `Snapshot`, tolerantly.

Two levels of failure, on purpose:
- the snapshot as a whole (empty, not JSON, truncated, wrong shape, no update
  timestamp) raises `FeedFormatError` with a sentence naming what was wrong;
- a single odd record (no cid, latitude not a number, bad timestamp...) is skipped and
  recorded with its reason, and the rest of the snapshot is parsed.
Unknown fields are ignored and fields newer feeds added are optional, so every era of
the feed parses with the same code.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import orjson

from vatstats_assets.core import feed_fields as field
from vatstats_assets.core.feed_model import (
    Controller,
    FeedFormatError,
    General,
    Pilot,
    Prefile,
    Server,
    SkippedRecord,
    Snapshot,
)
from vatstats_assets.core.feed_records import decode_well_formed
from vatstats_assets.core.feed_values import (
    parse_feed_timestamp,
    parse_frequency_khz,
)
from vatstats_assets.core.pilot_columns import pilots_by_column, pilots_from_records

SUPPORTED_FEED_VERSION = 3


_UTF8_BOM = b"\xef\xbb\xbf"
_GZIP_MAGIC = b"\x1f\x8b"


def parse_snapshot(body: bytes | str) -> Snapshot:
    """Parse a whole feed body (JSON text, or gzip-compressed JSON bytes) into a Snapshot.

    A body whose pilots all have the feed's own types (every era's real feed) is decoded straight
    into typed records (feed_records.py); any other is decoded as plain JSON and read as before.
    """
    text = _json_text(body)
    records = decode_well_formed(text)
    if records is not None:
        pilots = pilots_from_records(records.pilots)
        if pilots is not None:
            sections = records.sections()
            return _snapshot(_general(sections), sections, tuple(pilots), 0, [])
    return parse_document(_loads(text))


def peek_update_timestamp(body: bytes) -> datetime:
    """The snapshot's `general.update_timestamp`, without building the model.

    The body is still fully decoded: the timestamp becomes a run key, and a truncated
    body that yielded one would spend that key on a run that can only fail, so the
    complete snapshot, fetched again, could never be processed.
    """
    return _general(_decode(body)).update_timestamp


# The start of a v3 body: `{"general":{...}` with general flat (numbers and short strings), as every
# era of the feed writes it. Anything else, e.g. general later in the object, is left to the whole body.
_GENERAL_FIRST = re.compile(rb'\A\s*\{\s*"general"\s*:\s*(\{[^{}]*\})')


def update_timestamp_from_prefix(prefix: bytes) -> datetime | None:
    """`general.update_timestamp` read from the first bytes of a plain JSON body, or None.

    None means the prefix does not say (too short, or general is not the first key): read the
    whole body instead. A complete general object that is wrong (no or bad timestamp, another
    version) raises FeedFormatError, as the whole body would. Nothing past general is checked:
    a body truncated further on yields its timestamp here, and the ingest run that fetches the
    whole snapshot finds out (and retries).
    """
    if prefix.startswith(_UTF8_BOM):
        prefix = prefix[len(_UTF8_BOM) :]
    match = _GENERAL_FIRST.match(prefix)
    if match is None:
        return None
    try:
        general = orjson.loads(match.group(1))
    except orjson.JSONDecodeError:
        return None  # let the whole body's parse say what is wrong with it
    return _general({"general": general}).update_timestamp


def parse_document(document: Any) -> Snapshot:
    """Build a Snapshot from an already decoded feed document (what json.loads returns)."""
    if not isinstance(document, Mapping):
        raise FeedFormatError(f"feed JSON is {_json_kind(document)}, expected an object")
    general = _general(document)
    skipped: list[SkippedRecord] = []
    pilot_records = _section(document, "pilots", required=True)
    by_column = pilots_by_column(pilot_records)  # the common, well-formed case, read faster
    if by_column is not None:
        return _snapshot(general, document, tuple(by_column), 0, skipped)
    pilots, pilot_duplicates = _unique_by_callsign("pilots", pilot_records, _pilot, skipped)
    return _snapshot(general, document, pilots, pilot_duplicates, skipped)


def _snapshot(
    general: General, document: Mapping[str, Any], pilots: tuple[Pilot, ...], pilot_duplicates: int,
    skipped: list[SkippedRecord],
) -> Snapshot:
    """The Snapshot of a document whose general and pilots are read: the other sections are read here."""
    controllers, controller_duplicates = _unique_by_callsign(
        "controllers", _section(document, "controllers", required=True), _controller, skipped
    )
    atis, atis_duplicates = _unique_by_callsign(
        "atis", _section(document, "atis"), _controller, skipped
    )
    prefiles, prefile_duplicates = _unique_by_callsign(
        "prefiles", _section(document, "prefiles"), _prefile, skipped
    )
    servers = _servers(_section(document, "servers"), skipped)
    return Snapshot(
        general=general,
        pilots=pilots,
        controllers=controllers,
        atis=atis,
        servers=servers,
        prefiles=prefiles,
        facilities=_lookup("facilities", _section(document, "facilities"), skipped),
        ratings=_lookup("ratings", _section(document, "ratings"), skipped),
        pilot_ratings=_lookup("pilot_ratings", _section(document, "pilot_ratings"), skipped),
        military_ratings=_lookup(
            "military_ratings", _section(document, "military_ratings"), skipped
        ),
        skipped=tuple(skipped),
        duplicates_dropped=(
            pilot_duplicates + controller_duplicates + atis_duplicates + prefile_duplicates
        ),
    )


# --- the snapshot as a whole -------------------------------------------------------


def _decode(body: bytes | str) -> Any:
    return _loads(_json_text(body))


def _json_text(body: bytes | str) -> bytes | str:
    """The body as JSON text: gunzipped, without a UTF-8 byte order mark."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        body = bytes(body)
        if body.startswith(_GZIP_MAGIC):
            body = _gunzip(body)
        elif body.startswith(_UTF8_BOM):
            body = body[len(_UTF8_BOM) :]
    elif not isinstance(body, str):
        raise FeedFormatError(f"feed body is {type(body).__name__}, expected bytes or str")
    return body


def _loads(text: bytes | str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise _json_error(text, error) from None


def _gunzip(body: bytes) -> bytes:
    try:
        return gzip.decompress(body)
    except (OSError, EOFError) as error:
        raise FeedFormatError(
            f"feed body is gzip-compressed but cannot be decompressed: {error}"
        ) from None


def _json_error(body: bytes | str, error: orjson.JSONDecodeError) -> FeedFormatError:
    if not body.strip():
        return FeedFormatError("feed body is empty")
    # The decoder stops where the text ends only when the document was cut short.
    if error.pos >= len(body.rstrip()):
        return FeedFormatError(
            f"feed body is not valid JSON (truncated?) at byte {error.pos} of {len(body)}"
        )
    return FeedFormatError(f"feed body is not valid JSON at byte {error.pos}: {error.msg}")


def _general(document: Any) -> General:
    if not isinstance(document, Mapping):
        raise FeedFormatError(f"feed JSON is {_json_kind(document)}, expected an object")
    general = document.get("general")
    if not isinstance(general, Mapping):
        if general is None:
            raise FeedFormatError("feed JSON has no 'general' object")
        raise FeedFormatError(f"feed 'general' is {_json_kind(general)}, expected an object")
    raw_timestamp = general.get("update_timestamp")
    if raw_timestamp is None:
        raise FeedFormatError("feed JSON has no 'general.update_timestamp'")
    try:
        update_timestamp = parse_feed_timestamp(raw_timestamp)
    except ValueError:
        raise FeedFormatError(
            f"feed 'general.update_timestamp' is not a timestamp: {raw_timestamp!r}"
        ) from None
    # Older v3 snapshots always say 3; a missing version is read as 3, another one
    # means a feed whose meaning this parser does not know.
    version = field.int_or_none(general.get("version"))
    if version is None:
        version = SUPPORTED_FEED_VERSION
    elif version != SUPPORTED_FEED_VERSION:
        raise FeedFormatError(
            f"feed 'general.version' is {version}, expected {SUPPORTED_FEED_VERSION}"
        )
    return General(
        version=version,
        update_timestamp=update_timestamp,
        connected_clients=field.int_or_none(general.get("connected_clients")),
        unique_users=field.int_or_none(general.get("unique_users")),
        reload=field.int_or_none(general.get("reload")),
    )


def _section(document: Mapping[str, Any], name: str, *, required: bool = False) -> list[Any]:
    # A feed without its pilot or controller list would read as an empty network and
    # end every connection downstream, so those two must be there; the rest may not be.
    value = document.get(name)
    if value is None:
        if required:
            raise FeedFormatError(f"feed JSON has no '{name}' list")
        return []
    if type(value) is not list:
        raise FeedFormatError(f"feed '{name}' is {_json_kind(value)}, expected a list")
    return value


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


# --- sections -----------------------------------------------------------------------

_Connection = TypeVar("_Connection", Pilot, Controller, Prefile)


def _unique_by_callsign(
    section: str,
    records: list[Any],
    build: Callable[[Any], _Connection],
    skipped: list[SkippedRecord],
) -> tuple[tuple[_Connection, ...], int]:
    """Build each record; of two with one callsign keep the later `last_updated`.

    The feed has carried a callsign twice when a client reconnected before the old
    connection timed out; the stale one would double-count the flight. Ties go to the
    record listed later. Order is that of each callsign's first appearance.
    """
    by_callsign: dict[str, _Connection] = {}
    duplicates = 0
    for index, record in enumerate(records):
        try:
            item = build(record)
        except field.BadRecord as bad:
            skipped.append(SkippedRecord(section, index, bad.reason))
            continue
        previous = by_callsign.get(item.callsign)
        if previous is not None:
            duplicates += 1
            if item.last_updated < previous.last_updated:
                continue
        by_callsign[item.callsign] = item
    return tuple(by_callsign.values()), duplicates


def _servers(records: list[Any], skipped: list[SkippedRecord]) -> tuple[Server, ...]:
    servers = []
    for index, record in enumerate(records):
        try:
            servers.append(_server(record))
        except field.BadRecord as bad:
            skipped.append(SkippedRecord("servers", index, bad.reason))
    return tuple(servers)


def _lookup(section: str, entries: list[Any], skipped: list[SkippedRecord]) -> dict[int, str]:
    """An id -> short-name table; `facilities`/`ratings` say "short", the others "short_name"."""
    table: dict[int, str] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            skipped.append(SkippedRecord(section, index, "record is not an object"))
            continue
        entry_id = field.int_or_none(entry.get("id"))
        short = entry.get("short", entry.get("short_name"))
        if entry_id is None:
            skipped.append(SkippedRecord(section, index, "id is not an integer"))
        elif not isinstance(short, str) or not short:
            skipped.append(SkippedRecord(section, index, "short name is missing"))
        else:
            table[entry_id] = short
    return table


# --- records ------------------------------------------------------------------------


def _pilot(record: Any) -> Pilot:
    if type(record) is not dict:
        raise field.BadRecord("record is not an object")
    get = record.get
    # Positional, in Pilot's field order: keyword arguments make a NamedTuple markedly slower to
    # build, and a snapshot builds thousands.
    return Pilot(
        field.cid(record),
        field.name(record),
        field.callsign(record),
        field.text(get("server")),
        field.int_or_none(get("pilot_rating")),
        field.int_or_none(get("military_rating")),
        field.coordinate(record, "latitude", 90.0),
        field.coordinate(record, "longitude", 180.0),
        field.required_int(record, "altitude"),
        field.required_int(record, "groundspeed"),
        field.required_int(record, "heading"),
        field.squawk(get("transponder")),
        field.float_or_none(get("qnh_i_hg")),
        field.int_or_none(get("qnh_mb")),
        field.flight_plan(get("flight_plan")),
        field.timestamp(record, "logon_time"),
        field.timestamp(record, "last_updated"),
    )


def _controller(record: Any) -> Controller:
    if type(record) is not dict:
        raise field.BadRecord("record is not an object")
    return Controller(
        cid=field.cid(record),
        name=field.name(record),
        callsign=field.callsign(record),
        frequency_khz=parse_frequency_khz(record.get("frequency")),
        facility=field.required_int(record, "facility"),
        rating=field.required_int(record, "rating"),
        server=field.text(record.get("server")),
        visual_range=field.int_or_none(record.get("visual_range")),
        text_atis=field.atis_text(record.get("text_atis")),
        atis_code=field.text(record.get("atis_code")),
        logon_time=field.timestamp(record, "logon_time"),
        last_updated=field.timestamp(record, "last_updated"),
    )


def _prefile(record: Any) -> Prefile:
    if type(record) is not dict:
        raise field.BadRecord("record is not an object")
    return Prefile(
        cid=field.cid(record),
        name=field.name(record),
        callsign=field.callsign(record),
        flight_plan=field.flight_plan(record.get("flight_plan")),
        last_updated=field.timestamp(record, "last_updated"),
    )


def _server(record: Any) -> Server:
    if type(record) is not dict:
        raise field.BadRecord("record is not an object")
    ident = field.text(record.get("ident"))
    if ident is None:
        raise field.BadRecord("ident is missing")
    # 2024 feeds add a boolean `client_connections_allowed` beside the older integer flag.
    allowed = record.get("clients_connection_allowed")
    if allowed is None:
        allowed = record.get("client_connections_allowed")
    return Server(
        ident=ident,
        hostname_or_ip=field.text(record.get("hostname_or_ip")),
        location=field.text(record.get("location")),
        name=field.text(record.get("name")),
        clients_connection_allowed=None if allowed is None else bool(allowed),
    )


