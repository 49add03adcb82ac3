"""Keyset cursors and page cuts, in pure Python (no FastAPI, no database)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from vatstats_assets.api.pagination import (
    MAX_CURSOR_CHARS,
    CursorError,
    KeysetOrder,
    cut_page,
    decode_cursor,
    encode_cursor,
)

FLIGHTS = KeysetOrder("flights", (("cid", "int"), ("callsign", "text"), ("logon_time", "timestamp")))
DAYS = KeysetOrder("days", (("date", "date"),))
LOGON = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def forged(listing: str, values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps([listing, values]).encode()).decode().rstrip("=")


def test_a_cursor_round_trips_its_key() -> None:
    key = (1234567, "QFA1", LOGON)
    assert decode_cursor(FLIGHTS, encode_cursor(FLIGHTS, key)) == key


def test_a_cursor_keeps_the_instant_whatever_the_offset_it_was_read_in() -> None:
    sydney = LOGON.astimezone(timezone(timedelta(hours=11)))
    assert decode_cursor(FLIGHTS, encode_cursor(FLIGHTS, (1, "A", sydney)))[2] == LOGON


def test_a_cursor_is_url_safe_and_opaque() -> None:
    cursor = encode_cursor(FLIGHTS, (1, "QFA/1+?", LOGON))
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_date_key_round_trips() -> None:
    assert decode_cursor(DAYS, encode_cursor(DAYS, (date(2026, 1, 2),))) == (date(2026, 1, 2),)


def test_a_cursor_from_another_listing_is_refused() -> None:
    with pytest.raises(CursorError, match="cursor"):
        decode_cursor(DAYS, encode_cursor(FLIGHTS, (1, "QFA1", LOGON)))


@pytest.mark.parametrize("cursor", [
    "", "not base64 at all!", "////", "e30", base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    forged("flights", [1, "QFA1"]),  # a value short
    forged("flights", [1, "QFA1", LOGON.isoformat(), 4]),  # a value too many
    forged("flights", ["1", "QFA1", LOGON.isoformat()]),  # a number as text
    forged("flights", [1.5, "QFA1", LOGON.isoformat()]),  # not a whole number
    forged("flights", [True, "QFA1", LOGON.isoformat()]),  # a boolean is not a number here
    forged("flights", [2**31, "QFA1", LOGON.isoformat()]),  # beyond PostgreSQL's integer
    forged("flights", [1, "x" * 65, LOGON.isoformat()]),  # longer than any key text
    forged("flights", [1, "QFA1\x00", LOGON.isoformat()]),  # a NUL PostgreSQL cannot take
    forged("flights", [1, "QFA1", "2026-11-20T06:00:00"]),  # a time without its offset
    forged("flights", [1, "QFA1", "yesterday"]),
    forged("flights", [1, "' OR 1=1 --", LOGON.isoformat()])[:-3] + "!!!",
    forged("flights", {"cid": 1}),
    "A" * (MAX_CURSOR_CHARS + 1),
    "é" * 10,
])
def test_a_malformed_or_forged_cursor_is_refused_in_one_sentence(cursor: str) -> None:
    with pytest.raises(CursorError) as refusal:
        decode_cursor(FLIGHTS, cursor)
    assert str(refusal.value).count(".") <= 1 and "cursor" in str(refusal.value)


def test_a_well_formed_cursor_holding_sql_is_only_a_value() -> None:
    # Decoding accepts it (it is a printable callsign-shaped string); the queries bind it as a value.
    key = decode_cursor(FLIGHTS, forged("flights", [1, "' OR 1=1 --", LOGON.isoformat()]))
    assert key[1] == "' OR 1=1 --"


def test_the_page_cut_from_one_row_more_than_the_limit_has_a_next_cursor() -> None:
    rows = [{"cid": cid, "callsign": "A", "logon_time": LOGON} for cid in range(4)]
    page = cut_page(FLIGHTS, rows, limit=3)
    assert [r["cid"] for r in page.rows] == [0, 1, 2]
    assert page.next_cursor is not None
    assert decode_cursor(FLIGHTS, page.next_cursor) == (2, "A", LOGON)


def test_a_batch_no_longer_than_the_limit_is_the_last_page() -> None:
    rows = [{"cid": cid, "callsign": "A", "logon_time": LOGON} for cid in range(3)]
    assert cut_page(FLIGHTS, rows, limit=3).next_cursor is None
    assert cut_page(FLIGHTS, [], limit=3).next_cursor is None


def test_the_first_page_binds_every_after_parameter_to_null() -> None:
    assert FLIGHTS.after(None) == {"after_cid": None, "after_callsign": None, "after_logon_time": None}
    assert FLIGHTS.after((1, "A", LOGON)) == {"after_cid": 1, "after_callsign": "A", "after_logon_time": LOGON}
