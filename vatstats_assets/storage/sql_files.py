"""Load the project's named SQL files from `sql/` (queries are files, not strings in Python)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


@cache
def query(name: str) -> str:
    """The text of `sql/queries/<name>.sql`."""
    return (SQL_DIR / "queries" / f"{name}.sql").read_text()
