"""What the OpenAPI docs show for the answers every endpoint shares (errors, pages)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    detail: str = Field(description="One sentence saying what was wrong, e.g. \"The query parameter 'limit' "
                                    "must be at most 1000.\"")


ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "A parameter the API cannot use, named in one sentence."},
    503: {"model": ErrorBody, "description": "The warehouse cannot be reached or did not answer in time."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "The warehouse does not know the airport or connection."},
}
PAGE: dict[int | str, dict[str, Any]] = {
    200: {"description": "A page: `{\"items\": [...], \"next_cursor\": \"...\" or null}`, with a "
                         "`Link: <...>; rel=\"next\"` header while there is more, an `ETag` and a `Cache-Control`."},
}
ONE: dict[int | str, dict[str, Any]] = {200: {"description": "One JSON object, with an `ETag` and a `Cache-Control`."}}
