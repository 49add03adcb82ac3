"""Serialise rows into PostgreSQL's COPY text format (tab-separated, \\N for NULL).

COPY is the fastest way into PostgreSQL; the text format is simple enough to write by hand and,
unlike CSV, tells NULL from the empty string without quoting rules.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class UnstorableValue(ValueError):
    """A value PostgreSQL text cannot hold (a NUL character)."""


def _field(value: Any) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            raise UnstorableValue("text contains a NUL character, which PostgreSQL cannot store")
        return value.translate(_ESCAPES)
    if kind is int:
        return str(value)
    if kind is float:
        return "\\N" if math.isnan(value) else repr(value)
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\\\x" + bytes(value).hex()
    if isinstance(value, int):  # numpy integers, bool subclasses handled above
        return str(int(value))
    if isinstance(value, float):
        return "\\N" if math.isnan(value) else repr(float(value))
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().isoformat()
    return str(value).translate(_ESCAPES)


def copy_buffer(rows: Iterable[Sequence[Any]]) -> io.StringIO:
    """All rows as one COPY text-format buffer, positioned at its start."""
    out = io.StringIO()
    write = out.write
    for row in rows:
        write("\t".join([_field(v) for v in row]))
        write("\n")
    out.seek(0)
    return out
