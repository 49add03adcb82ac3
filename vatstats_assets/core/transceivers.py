"""Parse VATSIM's transceivers feed, tolerantly (pure: no I/O).

The feed (`transceivers-data.json`, listed in status.json under `data.transceivers`) is a JSON
array with one entry per connected callsign:

    [{"callsign": "QFA1", "transceivers": [{"id": 0, "frequency": 124500000, "latDeg": -33.9,
      "lonDeg": 151.2, "heightMslM": 1234.5, "heightAglM": 1200.0}, ...]}, ...]

It carries no timestamp and no cid: it means something only beside the data snapshot fetched with
it (core/tuning_runs.py keys it to that snapshot's connections). Failure works as in the data feed's
parser: a body that is not such an array raises TransceiversFormatError; one odd entry or
transceiver is skipped and counted by reason, and the rest is kept. Unknown fields are ignored.

As with the data feed (core/feed_records.py), a body every entry of which has the feed's own types
is decoded by msgspec straight into typed records, checked in C as it is read (2.3 against
4.3 ms for 1,600 entries); any other body is decoded as plain JSON and read entry by entry, which
says what was wrong. Both give the same ParsedTransceivers (tested).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any, NamedTuple

import msgspec
import orjson

from vatstats_assets.core.feed_fields import MAX_CALLSIGN_LENGTH
from vatstats_assets.core.feed_records import Latitude, Longitude

MAX_FREQUENCY_HZ = 2**31 - 1
"""Frequencies are stored as integer (int4). Nothing a VATSIM client tunes comes near 2.1 GHz (the
highest seen is 199.998 MHz, "nothing tuned"): a larger value is junk, not a frequency to widen the
column for."""

_UTF8_BOM = b"\xef\xbb\xbf"


class TransceiversFormatError(ValueError):
    """The whole transceivers body is unusable (empty, not JSON, not an array)."""


class Transceiver(NamedTuple):
    """One radio of a connection: what it is tuned to and where its antenna stands."""

    frequency_hz: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ParsedTransceivers:
    """The usable entries by callsign, and what was left out, by reason."""

    by_callsign: dict[str, tuple[Transceiver, ...]]
    skipped_entries: dict[str, int] = field(default_factory=dict)
    skipped_transceivers: dict[str, int] = field(default_factory=dict)

    @property
    def entries_skipped(self) -> int:
        return sum(self.skipped_entries.values())


# A Transceiver from a tuple of its fields: half the time of the NamedTuple's own constructor.
_transceiver_of = partial(tuple.__new__, Transceiver)


class _RadioRecord(msgspec.Struct):
    """A transceiver of the feed's own types (an integer latitude reads as its float, as below)."""

    frequency: Annotated[int, msgspec.Meta(gt=0, le=MAX_FREQUENCY_HZ)]
    latDeg: Latitude  # noqa: N815  # the feed's names
    lonDeg: Longitude  # noqa: N815


class _EntryRecord(msgspec.Struct):
    callsign: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CALLSIGN_LENGTH)]
    transceivers: list[_RadioRecord]


_DECODER = msgspec.json.Decoder(list[_EntryRecord])


class _Bad(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_transceivers(body: bytes | str) -> ParsedTransceivers:
    """Parse a whole transceivers body (JSON text); TransceiversFormatError when it is unusable."""
    if isinstance(body, bytes | bytearray | memoryview):
        body = bytes(body).removeprefix(_UTF8_BOM)
    if not body.strip():
        raise TransceiversFormatError("the transceivers body is empty")
    typed = _typed(body)
    if typed is not None:
        return typed
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise TransceiversFormatError(f"the transceivers body is not valid JSON at byte {error.pos}") from None
    return parse_transceivers_document(document)


def _typed(body: bytes | str) -> ParsedTransceivers | None:
    """The body read through typed records, or None when it needs reading entry by entry."""
    try:
        entries = _DECODER.decode(body)
    except msgspec.DecodeError:  # not JSON, or an entry or radio of other types
        return None
    by_callsign: dict[str, tuple[Transceiver, ...]] = {}
    skipped_entries: dict[str, int] = {}
    for entry in entries:
        callsign = entry.callsign
        if callsign[0].isspace() or callsign[-1].isspace():
            return None  # padded: the entry reader strips it, and it may then meet its twin
        _keep(by_callsign, skipped_entries, callsign,
              tuple([_transceiver_of((r.frequency, r.latDeg, r.lonDeg)) for r in entry.transceivers]))
    return ParsedTransceivers(by_callsign, skipped_entries, {})


def _keep(by_callsign: dict[str, tuple[Transceiver, ...]], skipped_entries: dict[str, int], callsign: str,
          radios: tuple[Transceiver, ...]) -> None:
    if callsign in by_callsign:
        # No timestamp tells which of two entries is current; as in the data feed's parser, the
        # one listed later wins, and the other is counted.
        reason = "callsign listed twice"
        skipped_entries[reason] = skipped_entries.get(reason, 0) + 1
    by_callsign[callsign] = radios


def parse_transceivers_document(document: Any) -> ParsedTransceivers:
    """Build the by-callsign view of an already decoded transceivers document."""
    if type(document) is not list:
        raise TransceiversFormatError(f"the transceivers JSON is {_kind(document)}, expected a list")
    by_callsign: dict[str, tuple[Transceiver, ...]] = {}
    skipped_entries: dict[str, int] = {}
    skipped_transceivers: dict[str, int] = {}
    for entry in document:
        # The common case in line, as for the radios below; anything else is read carefully.
        callsign = entry.get("callsign") if type(entry) is dict else None
        radios = entry.get("transceivers") if type(entry) is dict else None
        if not (
            type(callsign) is str and type(radios) is list
            and 0 < len(callsign) <= MAX_CALLSIGN_LENGTH and not callsign[0].isspace() and not callsign[-1].isspace()
        ):
            try:
                callsign, radios = _entry(entry)
            except _Bad as bad:
                skipped_entries[bad.reason] = skipped_entries.get(bad.reason, 0) + 1
                continue
        kept = []
        for radio in radios:
            # The common case, checked in line (a 4,000-pilot feed has ~6,000 radios, every 15 s):
            # exact types and ranges. Anything else takes the careful path, which says what is wrong.
            if type(radio) is dict:
                frequency, latitude, longitude = radio.get("frequency"), radio.get("latDeg"), radio.get("lonDeg")
                if (
                    type(frequency) is int and 0 < frequency <= MAX_FREQUENCY_HZ
                    and type(latitude) is float and -90.0 <= latitude <= 90.0
                    and type(longitude) is float and -180.0 <= longitude <= 180.0
                ):
                    kept.append(_transceiver_of((frequency, latitude, longitude)))
                    continue
            try:
                kept.append(_transceiver(radio))
            except _Bad as bad:
                skipped_transceivers[bad.reason] = skipped_transceivers.get(bad.reason, 0) + 1
        _keep(by_callsign, skipped_entries, callsign, tuple(kept))
    return ParsedTransceivers(by_callsign, skipped_entries, skipped_transceivers)


def _entry(entry: Any) -> tuple[str, list[Any]]:
    if type(entry) is not dict:
        raise _Bad("entry is not an object")
    callsign = entry.get("callsign")
    if type(callsign) is not str or not callsign.strip():
        raise _Bad("callsign is missing" if callsign is None or type(callsign) is str else "callsign is not a string")
    callsign = callsign.strip()
    if len(callsign) > MAX_CALLSIGN_LENGTH:
        raise _Bad(f"callsign is longer than {MAX_CALLSIGN_LENGTH} characters")
    radios = entry.get("transceivers")
    if type(radios) is not list:
        raise _Bad("transceivers is not a list")
    return callsign, radios


def _transceiver(radio: Any) -> Transceiver:
    if type(radio) is not dict:
        raise _Bad("transceiver is not an object")
    return Transceiver(
        _frequency_hz(radio.get("frequency")),
        _degrees(radio.get("latDeg"), "latDeg", 90.0),
        _degrees(radio.get("lonDeg"), "lonDeg", 180.0),
    )


def _frequency_hz(value: Any) -> int:
    # Integer Hz in the feed. Integral floats and digit strings are the same number written
    # differently; 124.5 (MHz?) or 1.245e8000 are not guessed at.
    if type(value) is int:
        number = value
    elif type(value) is float and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif type(value) is str and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    elif value is None:
        raise _Bad("frequency is missing")
    else:
        raise _Bad("frequency is not a whole number of Hz")
    if not 0 < number <= MAX_FREQUENCY_HZ:
        raise _Bad("frequency is out of range")
    return number


def _degrees(value: Any, key: str, limit: float) -> float:
    if type(value) is float or type(value) is int:
        number = float(value)
    elif type(value) is str:
        try:
            number = float(value)
        except ValueError:
            raise _Bad(f"{key} is not a number") from None
    elif value is None:
        raise _Bad(f"{key} is missing")
    else:
        raise _Bad(f"{key} is not a number")
    if not -limit <= number <= limit:  # NaN fails this too
        raise _Bad(f"{key} is out of range")
    return number


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


@dataclass(frozen=True)
class TransceiversFeed:
    """What a tick got of the transceivers feed: its body, or why it has none."""

    body: bytes | None
    missing: str | None = None
    # The body compressed as feed_snapshots stores it (in the row's body_encoding), when it comes
    # compressed already (the rebuild; a replayed gzip file): not compressed again.
    stored: bytes | None = None

    @classmethod
    def received(cls, body: bytes, *, stored: bytes | None = None) -> TransceiversFeed:
        return cls(body, None, stored)

    @classmethod
    def not_received(cls, reason: str) -> TransceiversFeed:
        return cls(None, reason)
