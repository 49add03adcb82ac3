"""Running the API's named queries (sql/queries/api_*.sql) and turning their rows into JSON-ready dicts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends
from starlette.requests import Request

from vatstats_assets.api.pagination import KeysetOrder, Page, cut_page
from vatstats_assets.storage.sql_files import query


def connection(request: Request) -> Iterator[sa.Connection]:
    """A pooled connection for one request (read-only: it is never committed)."""
    with request.app.state.engine.connect() as conn:
        yield conn


Connection = Annotated[sa.Connection, Depends(connection)]


def utc_value(value: Any) -> Any:
    # psycopg2 gives timestamptz in the session's time zone; the API always speaks UTC.
    return value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo is not None else value


def as_dict(row: sa.RowMapping) -> dict[str, Any]:
    return {name: utc_value(value) for name, value in row.items()}


def fetch_rows(conn: sa.Connection, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [as_dict(row) for row in conn.execute(sa.text(query(name)), params).mappings()]


def fetch_one(conn: sa.Connection, name: str, params: dict[str, Any]) -> dict[str, Any] | None:
    row = conn.execute(sa.text(query(name)), params).mappings().first()
    return as_dict(row) if row is not None else None


def fetch_page(
    conn: sa.Connection, name: str, order: KeysetOrder, after: tuple[Any, ...] | None, limit: int,
    params: dict[str, Any],
) -> Page:
    """A page of a keyset listing: the query takes `:after_<key column>` (all NULL on the first page)
    and `:limit`, and is asked for one row more than shown, which says whether a next page exists."""
    rows = fetch_rows(conn, name, {**params, **order.after(after), "limit": limit + 1})
    return cut_page(order, rows, limit)
