"""The read API as a FastAPI application over an engine that only reads (see `vatstats serve`)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from vatstats_assets.api import docs
from vatstats_assets.api.errors import install_error_handlers
from vatstats_assets.api.metrics import ApiMetrics, MetricsMiddleware
from vatstats_assets.api.routes import coverage, flights, movements, network, operations, summaries
from vatstats_assets.settings import Settings

DESCRIPTION = """\
Read-only JSON over the vatstats warehouse: the live VATSIM network (stored every 15 s), pilot
connections and their tracks, airport movements and the daily summaries.

- **Pagination**: listings return `{"items": [...], "next_cursor": ...}` in a stable key order. Pass
  `next_cursor` back as `cursor` for the next page (also in the `Link: <...>; rel="next"` header);
  it is null on the last page. Rows stored meanwhile never shift a page. `limit` is 1 to 1000
  (default 100).
- **Caching**: every answer has a strong `ETag` (send it back in `If-None-Match` for a 304) and a
  `Cache-Control`: 15 s for anything about today or yesterday (the feed's cadence), an hour for
  finished days. Ask with `Accept-Encoding: gzip` for compressed answers.
- **Errors**: `{"detail": "<one sentence>"}`: 422 for a parameter it cannot use (named), 404 for an
  airport or connection the warehouse does not know, 503 when the warehouse cannot be reached.
- Times are UTC, in RFC 3339 (`2026-11-20T06:00:00Z`); days are UTC days (`2026-11-20`).
"""

TAGS = [
    {"name": "live network", "description": "The latest stored snapshot: who is online, and today's figures."},
    {"name": "flights", "description": "Pilot connections, keyed (cid, callsign, logon_time), and their tracks."},
    {"name": "movements", "description": "Departures and arrivals detected at airports from the track history."},
    {"name": "daily summaries", "description": "Per-day figures written by the summary assets."},
    {"name": "operations", "description": "Health and Prometheus metrics, for whoever runs the API."},
]

# Smaller bodies gain nothing from compression (one TCP packet either way).
GZIP_MINIMUM_BYTES = 1000


def create_app(engine: sa.Engine, settings: Settings) -> FastAPI:
    """The API reading through `engine` (its pool is the API's: size it from settings.api_pool_size)."""
    app = FastAPI(
        title="vatstats read API",
        version="1",
        description=DESCRIPTION + f"\nThis warehouse stores the `{settings.region}` region.",
        openapi_tags=TAGS,
        docs_url=None,  # served by api/docs.py, without a CDN
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.metrics = ApiMetrics(engine)
    for module in (network, flights, movements, summaries, coverage, operations, docs):
        app.include_router(module.router)
    install_error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    # Added last, so it is outermost: it times compression too and sees the final status.
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    return app
