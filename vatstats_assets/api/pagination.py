"""Keyset pagination: opaque cursors over a listing's sort key, and the page cut from a fetched batch.

A listing is sorted by a unique key (its table's primary key, or the columns it is read in order
of); a page is the first `limit` rows after the key of the previous page's last row. A cursor is
that key, as JSON, base64url-encoded, tagged with the listing's name: it is opaque to clients, and
on decode every value is checked against the key's declared kinds, so a malformed or forged cursor
is refused in one sentence before any SQL runs. Rows that arrive between two pages never shift a
page (there is no OFFSET to move): a row sorting after the cursor shows up later, one before it
does not, and none is shown twice.

Pure Python: no FastAPI, no database.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Longer than any real cursor (a six-column key with text values is ~200 characters).
MAX_CURSOR_CHARS = 1024
MAX_TEXT_VALUE_CHARS = 64
# The range PostgreSQL's integer column holds: a larger value could never match a row.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

KeyKind = Literal["int", "text", "timestamp", "date"]


class CursorError(ValueError):
    """A cursor this listing did not issue; the message is one sentence for the client."""


@dataclass(frozen=True)
class KeysetOrder:
    """A listing's sort key: the listing's name (cursors are bound to it) and its columns' kinds."""

    listing: str
    columns: tuple[tuple[str, KeyKind], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def key_of(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        """The sort key of a row."""
        return tuple(row[name] for name in self.names)

    def after(self, key: Sequence[Any] | None) -> dict[str, Any]:
        """SQL parameters `after_<column>` for a key (all None on the first page)."""
        values = list(key) if key is not None else [None] * len(self.columns)
        return {f"after_{name}": value for name, value in zip(self.names, values, strict=True)}


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None  # None: this is the last page


def _encode_value(value: Any, kind: KeyKind) -> Any:
    if kind == "timestamp":
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise TypeError(f"a timestamp key needs an aware datetime, not {value!r}")
        return value.astimezone(UTC).isoformat()
    if kind == "date":
        return value.isoformat()
    return value


def encode_cursor(order: KeysetOrder, key: Sequence[Any]) -> str:
    """The opaque cursor for the page after the row with this key."""
    values = [_encode_value(value, kind) for value, (_, kind) in zip(key, order.columns, strict=True)]
    text = json.dumps([order.listing, values], separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_value(value: Any, kind: KeyKind) -> Any:
    """The key value, or ValueError when it is not of its kind."""
    if kind == "int":
        if type(value) is not int or not INT_MIN <= value <= INT_MAX:
            raise ValueError
        return value
    if kind == "text":
        if not isinstance(value, str) or len(value) > MAX_TEXT_VALUE_CHARS or not value.isprintable():
            raise ValueError
        return value
    if not isinstance(value, str):
        raise ValueError
    if kind == "date":
        return date.fromisoformat(value)
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError
    return parsed


def decode_cursor(order: KeysetOrder, cursor: str) -> tuple[Any, ...]:
    """The key a cursor carries, checked against the listing; CursorError for anything else."""
    refused = CursorError("the cursor parameter is not a cursor this listing gave out; start again without it")
    if not cursor or len(cursor) > MAX_CURSOR_CHARS or not cursor.isascii():
        raise refused
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        listing, values = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise refused from None
    if listing != order.listing or not isinstance(values, list) or len(values) != len(order.columns):
        raise refused
    try:
        return tuple(_decode_value(value, kind) for value, (_, kind) in zip(values, order.columns, strict=True))
    except (ValueError, TypeError):
        raise refused from None


def cut_page(order: KeysetOrder, rows: Sequence[Any], limit: int) -> Page:
    """The page from a batch fetched with LIMIT `limit + 1`: the extra row only says there is more."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    shown = list(rows[:limit])
    more = len(rows) > limit
    return Page(shown, encode_cursor(order, order.key_of(shown[-1])) if more else None)
