"""The OpenAPI docs page (Swagger UI) served from the machine itself, not a CDN.

FastAPI's default /docs page loads Swagger UI from a CDN: blank on an offline or firewalled host, and
every reader's browser would tell the CDN who reads the docs. The swagger-ui-py package ships
Swagger UI 5 (which renders the OpenAPI 3.1 FastAPI writes); only the three files the page needs are
served, cached for a day.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import FileResponse, HTMLResponse, Response

from vatstats_assets.api.errors import NotFound

ASSETS = Path(swagger_ui.__file__).resolve().parent / "static"
SERVED = {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"}

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="vatstats read API",
        swagger_js_url="/docs/assets/swagger-ui-bundle.js",
        swagger_css_url="/docs/assets/swagger-ui.css",
        swagger_favicon_url="/docs/assets/favicon-32x32.png",
        swagger_ui_parameters={"defaultModelsExpandDepth": -1, "displayRequestDuration": True},
    )


@router.get("/docs/assets/{name}")
def asset(name: str) -> Response:
    if name not in SERVED:
        raise NotFound("the docs page has no such file")
    return FileResponse(ASSETS / name, headers={"Cache-Control": "public, max-age=86400"})
