"""The shape every paginated endpoint shares: `limit` and `cursor` parameters, and the answer
`{"items": [...], "next_cursor": ...}` with a `Link: <...>; rel="next"` header while there is more."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from starlette.requests import Request
from starlette.responses import Response

from vatstats_assets.api.caching import json_response
from vatstats_assets.api.errors import InvalidParameter
from vatstats_assets.api.pagination import MAX_CURSOR_CHARS, MAX_LIMIT, CursorError, KeysetOrder, Page, decode_cursor

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT}.")]
Cursor = Annotated[str | None, Query(
    max_length=MAX_CURSOR_CHARS,
    description="Where the page starts: the `next_cursor` of the previous page (opaque). Leave out for the first page.",
)]


def after(order: KeysetOrder, cursor: str | None) -> tuple[Any, ...] | None:
    """The key a page starts after, from the request's cursor (None: the first page)."""
    if cursor is None:
        return None
    try:
        return decode_cursor(order, cursor)
    except CursorError as error:
        raise InvalidParameter(str(error)) from None


def page_response(request: Request, page: Page, cache: str, **extra: Any) -> Response:
    """A page as JSON, with the next page's full URL in a Link header while there is one."""
    headers = {}
    if page.next_cursor is not None:
        headers["Link"] = f'<{request.url.include_query_params(cursor=page.next_cursor)}>; rel="next"'
    return json_response(request, {**extra, "items": page.rows, "next_cursor": page.next_cursor}, cache,
                         headers=headers)
