"""Load the project's named SQL files from `sql/` (queries are files, not strings in Python)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


@cache
def query(name: str) -> str:
    """The text of `sql/queries/<name>.sql`."""
    return (SQL_DIR / "queries" / f"{name}.sql").read_text()


def expression(name: str, **constants: int) -> str:
    """A SQL expression kept in `sql/queries/<name>.sql`, without its comment lines, with each
    `:constant` replaced by its integer (for statements that take no bound parameters)."""
    lines = [line for line in query(name).splitlines() if not line.lstrip().startswith("--")]
    text = "\n".join(lines).strip()
    if "--" in text:  # the expression is spliced into a longer statement: a comment would cut it
        raise ValueError(f"sql/queries/{name}.sql: an expression may hold comments on lines of their own only")
    for constant, value in constants.items():
        text = text.replace(f":{constant}", str(int(value)))
    return text
