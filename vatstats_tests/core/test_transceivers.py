"""Parsing the transceivers feed: what fails the body, what only skips an entry or a radio."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from vatstats_assets.core.transceivers import (
    MAX_FREQUENCY_HZ,
    ParsedTransceivers,
    Transceiver,
    TransceiversFormatError,
    _typed,
    parse_transceivers,
    parse_transceivers_document,
)


def radio(**fields: Any) -> dict[str, Any]:
    return {"id": 0, "frequency": 124_500_000, "latDeg": -33.9, "lonDeg": 151.2, "heightMslM": 1234.5,
            "heightAglM": 1200.0, **fields}


def test_an_entry_becomes_its_callsigns_radios_with_unknown_fields_ignored() -> None:
    body = orjson.dumps([{"callsign": "QFA1", "new_field": 1, "transceivers": [
        radio(), radio(id=1, frequency=118_008_333, latDeg=-34.0, lonDeg=151.0, colour="red")]}])
    parsed = parse_transceivers(body)
    assert parsed.by_callsign == {"QFA1": (Transceiver(124_500_000, -33.9, 151.2),
                                           Transceiver(118_008_333, -34.0, 151.0))}
    assert parsed.entries_skipped == 0 and parsed.skipped_transceivers == {}


@pytest.mark.parametrize(("body", "message"), [
    (b"", "empty"),
    (b"   ", "empty"),
    (b"[{", "not valid JSON"),
    (b'{"callsign": "QFA1"}', "is an object, expected a list"),
    (b'"hello"', "is a string, expected a list"),
    (b"null", "is null, expected a list"),
])
def test_a_body_that_is_not_a_list_fails_as_a_whole(body: bytes, message: str) -> None:
    with pytest.raises(TransceiversFormatError, match=message):
        parse_transceivers(body)


def test_an_empty_list_is_a_network_with_nobody_on_the_radio() -> None:
    assert parse_transceivers(b"[]").by_callsign == {}


BAD_ENTRIES = [
    ("QFA1", "entry is not an object"),
    (None, "entry is not an object"),
    ([1, 2], "entry is not an object"),
    ({"transceivers": []}, "callsign is missing"),
    ({"callsign": "  ", "transceivers": []}, "callsign is missing"),
    ({"callsign": 7, "transceivers": []}, "callsign is not a string"),
    ({"callsign": "X" * 10_000, "transceivers": []}, "callsign is longer than 32 characters"),
    ({"callsign": "QFA1"}, "transceivers is not a list"),
    ({"callsign": "QFA1", "transceivers": {"0": radio()}}, "transceivers is not a list"),
]


@pytest.mark.parametrize(("entry", "reason"), BAD_ENTRIES)
def test_a_bad_entry_is_skipped_and_counted_and_the_rest_kept(entry: Any, reason: str) -> None:
    parsed = parse_transceivers_document([entry, {"callsign": "VOZ2", "transceivers": [radio()]}])
    assert list(parsed.by_callsign) == ["VOZ2"]
    assert parsed.skipped_entries == {reason: 1}


BAD_RADIOS = [
    ({"frequency": "abc"}, "frequency is not a whole number of Hz"),
    ({"frequency": 124.5}, "frequency is not a whole number of Hz"),
    ({"frequency": float("nan")}, "frequency is not a whole number of Hz"),
    ({"frequency": True}, "frequency is not a whole number of Hz"),
    ({"frequency": None}, "frequency is missing"),
    ({"frequency": -124_500_000}, "frequency is out of range"),
    ({"frequency": 0}, "frequency is out of range"),
    ({"frequency": 10**30}, "frequency is out of range"),
    ({"frequency": MAX_FREQUENCY_HZ + 1}, "frequency is out of range"),
    ({"latDeg": float("nan")}, "latDeg is out of range"),
    ({"lonDeg": float("inf")}, "lonDeg is out of range"),
    ({"latDeg": "NaN"}, "latDeg is out of range"),
    ({"latDeg": 91.0}, "latDeg is out of range"),
    ({"lonDeg": "east"}, "lonDeg is not a number"),
    ({"lonDeg": [151.2]}, "lonDeg is not a number"),
    ({"latDeg": None}, "latDeg is missing"),
]


@pytest.mark.parametrize(("fields", "reason"), BAD_RADIOS)
def test_a_bad_transceiver_is_skipped_and_counted_and_its_entry_kept(fields: dict[str, Any], reason: str) -> None:
    parsed = parse_transceivers_document([{"callsign": "QFA1", "transceivers": [radio(**fields), radio(id=1)]}])
    assert parsed.by_callsign == {"QFA1": (Transceiver(124_500_000, -33.9, 151.2),)}
    assert parsed.skipped_transceivers == {reason: 1}


@pytest.mark.parametrize("frequency", ["124500000", " 124500000 ", 124_500_000.0])
def test_a_frequency_written_as_digits_or_a_whole_float_is_the_same_number(frequency: Any) -> None:
    parsed = parse_transceivers_document([{"callsign": "QFA1", "transceivers": [radio(frequency=frequency)]}])
    assert parsed.by_callsign["QFA1"][0].frequency_hz == 124_500_000


def test_a_transceiver_that_is_not_an_object_is_skipped() -> None:
    parsed = parse_transceivers_document([{"callsign": "QFA1", "transceivers": [7, "x", None, radio()]}])
    assert len(parsed.by_callsign["QFA1"]) == 1
    assert parsed.skipped_transceivers == {"transceiver is not an object": 3}


def test_a_callsign_listed_twice_keeps_the_later_entry_and_counts_the_other() -> None:
    parsed = parse_transceivers_document([
        {"callsign": "QFA1", "transceivers": [radio(frequency=118_000_000)]},
        {"callsign": "QFA1 ", "transceivers": [radio()]},
    ])
    assert parsed.by_callsign == {"QFA1": (Transceiver(124_500_000, -33.9, 151.2),)}
    assert parsed.skipped_entries == {"callsign listed twice": 1}


def test_a_utf8_byte_order_mark_is_ignored() -> None:
    assert list(parse_transceivers(b"\xef\xbb\xbf" + orjson.dumps([{"callsign": "A", "transceivers": []}])).by_callsign) == ["A"]


# --- typed records (msgspec) against the entry-by-entry reader ----------------------


def network(*odd: Any) -> list[Any]:
    """A feed of a pilot, a controller with three sites and a pilot with two radios, plus `odd`."""
    return [
        {"callsign": "QFA1", "transceivers": [radio()]},
        {"callsign": "ML_CTR", "transceivers": [radio(frequency=118_000_000, latDeg=-37.0 + i, lonDeg=145.0)
                                                for i in range(3)]},
        *odd,
        {"callsign": "VOZ2", "transceivers": [radio(), radio(id=1, frequency=121_500_000, latDeg=-33, lonDeg=151)]},
    ]


def exact(parsed: ParsedTransceivers) -> list[Any]:
    """The parse with every value's type beside it: 0 == 0.0, so equality alone would not tell."""
    return [(callsign, [[(type(v), v) for v in radio] for radio in radios])
            for callsign, radios in parsed.by_callsign.items()] + [parsed.skipped_entries, parsed.skipped_transceivers]


def assert_same_reading(document: list[Any]) -> None:
    text = orjson.dumps(document)
    assert exact(parse_transceivers(text)) == exact(parse_transceivers_document(orjson.loads(text)))


def test_a_feed_of_the_feeds_own_types_is_read_through_typed_records_into_the_same_parse() -> None:
    document = network()
    assert _typed(orjson.dumps(document)) is not None
    assert_same_reading(document)


def writable(entry: Any) -> bool:
    """Whether the entry can be written as JSON (10**30 cannot, by orjson, nor read back)."""
    try:
        orjson.dumps(entry)
    except TypeError:
        return False
    return True


ODD_ENTRIES = [entry for entry in [
    *(entry for entry, _ in BAD_ENTRIES),
    *({"callsign": "QFA9", "transceivers": [radio(**fields)]} for fields, _ in BAD_RADIOS),
    *({"callsign": "QFA9", "transceivers": [radio(frequency=f)]} for f in ("124500000", " 124500000 ", 124_500_000.0)),
    {"callsign": "QFA1", "transceivers": []},  # listed twice
    {"callsign": " VOZ2", "transceivers": []},  # padded, and then listed twice
    {"callsign": "QFA9", "transceivers": [7, None]},
] if writable(entry)]


@pytest.mark.parametrize("entry", ODD_ENTRIES, ids=lambda entry: orjson.dumps(entry).decode()[:50])
def test_a_feed_with_an_odd_entry_or_radio_reads_into_the_same_parse_either_way(entry: Any) -> None:
    assert_same_reading(network(entry))
