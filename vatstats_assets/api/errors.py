"""Every error the API answers is one sentence in `{"detail": ...}`: no validation dump, no traceback,
no SQL and no database message, whatever went wrong.

- a parameter the API refuses: 422 naming the parameter (FastAPI's own validation is rephrased);
- an airport, connection or path the warehouse does not know: 404;
- the database unreachable or too slow: 503;
- anything else: 500 with a generic sentence; the exception goes to the server's log only.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger("vatstats.api")

SERVER_ERROR = "the server could not answer this request; the error has been logged"
DATABASE_UNAVAILABLE = "the warehouse cannot be reached or did not answer in time; try again shortly"


class ApiError(Exception):
    """An answer other than 200 that the client caused or should know about: a status and one sentence."""

    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


class InvalidParameter(ApiError):
    def __init__(self, detail: str) -> None:
        super().__init__(422, detail)


class NotFound(ApiError):
    def __init__(self, detail: str) -> None:
        super().__init__(404, detail)


def sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "."


def one_sentence(status_code: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": sentence(detail)}, status_code=status_code, headers=headers)


# pydantic error type -> what the parameter must be (the value itself is never echoed: it may be huge)
_REASONS: dict[str, str] = {
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "date_parsing": "must be a date like 2026-11-20",
    "date_from_datetime_parsing": "must be a date like 2026-11-20",
    "date_from_datetime_inexact": "must be a date like 2026-11-20",
    "datetime_parsing": "must be a UTC time like 2026-11-20T06:00:00Z",
    "datetime_from_date_parsing": "must be a UTC time like 2026-11-20T06:00:00Z",
    "bool_parsing": "must be true or false",
    "string_too_long": "is too long",
    "string_too_short": "is too short",
    "string_pattern_mismatch": "has characters it may not hold",
    "literal_error": "is not one of the values it may take",
    "enum": "is not one of the values it may take",
}


def _reason(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        bound = context.get("ge", context.get("gt"))
        return f"must be at least {bound}" if kind == "greater_than_equal" else f"must be more than {bound}"
    if kind in ("less_than_equal", "less_than"):
        bound = context.get("le", context.get("lt"))
        return f"must be at most {bound}" if kind == "less_than_equal" else f"must be less than {bound}"
    if kind in ("literal_error", "enum") and "expected" in context:
        return f"must be one of {context['expected']}"
    return _REASONS.get(kind, "is not valid")


def describe_validation_error(errors: list[dict[str, Any]]) -> str:
    """FastAPI's validation errors as one sentence about the first: where, which parameter, what it must be."""
    if not errors:
        return "the request is not valid"
    first = errors[0]
    location = [str(part) for part in first.get("loc", ())]
    where = {"query": "query parameter", "path": "path parameter", "header": "header", "body": "body"}
    place = where.get(location[0], "parameter") if location else "parameter"
    name = location[1] if len(location) > 1 else (location[0] if location else "?")
    if place == "body":
        return "this endpoint takes no request body"
    return f"the {place} {name!r} {_reason(first)}"


def install_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        return one_sentence(error.status_code, error.detail)

    async def validation_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        return one_sentence(422, describe_validation_error(list(error.errors())))

    async def http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        if error.status_code == 404:
            detail = "there is no such endpoint; the list is at /docs"
        elif error.status_code == 405:
            detail = f"this endpoint does not answer {request.method}; it is read-only (GET)"
        else:
            detail = str(error.detail) if isinstance(error.detail, str) else SERVER_ERROR
        return one_sentence(error.status_code, detail, headers=getattr(error, "headers", None))

    async def database_error(request: Request, error: Exception) -> JSONResponse:
        # OperationalError: connection refused or lost, statement timeout, a replica's recovery conflict.
        log.warning("database unavailable for %s %s: %s", request.method, request.url.path,
                    str(error).splitlines()[0] if str(error) else type(error).__name__)
        return one_sentence(503, DATABASE_UNAVAILABLE, headers={"Retry-After": "15"})

    async def server_error(request: Request, error: Exception) -> JSONResponse:
        log.error("unexpected error in %s %s", request.method, request.url.path, exc_info=error)
        return one_sentence(500, SERVER_ERROR)

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(sa.exc.OperationalError, database_error)
    app.add_exception_handler(sa.exc.TimeoutError, database_error)  # the pool had no connection to give
    app.add_exception_handler(Exception, server_error)
