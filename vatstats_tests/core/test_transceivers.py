"""Parsing the transceivers feed: what fails the body, what only skips an entry or a radio."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from vatstats_assets.core.transceivers import (
    MAX_FREQUENCY_HZ,
    Transceiver,
    TransceiversFormatError,
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


@pytest.mark.parametrize(("entry", "reason"), [
    ("QFA1", "entry is not an object"),
    (None, "entry is not an object"),
    ([1, 2], "entry is not an object"),
    ({"transceivers": []}, "callsign is missing"),
    ({"callsign": "  ", "transceivers": []}, "callsign is missing"),
    ({"callsign": 7, "transceivers": []}, "callsign is not a string"),
    ({"callsign": "X" * 10_000, "transceivers": []}, "callsign is longer than 32 characters"),
    ({"callsign": "QFA1"}, "transceivers is not a list"),
    ({"callsign": "QFA1", "transceivers": {"0": radio()}}, "transceivers is not a list"),
])
def test_a_bad_entry_is_skipped_and_counted_and_the_rest_kept(entry: Any, reason: str) -> None:
    parsed = parse_transceivers_document([entry, {"callsign": "VOZ2", "transceivers": [radio()]}])
    assert list(parsed.by_callsign) == ["VOZ2"]
    assert parsed.skipped_entries == {reason: 1}


@pytest.mark.parametrize(("fields", "reason"), [
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
])
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
