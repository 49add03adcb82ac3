"""For whoever runs the API: a health check and Prometheus metrics."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vatstats_assets.api.errors import DATABASE_UNAVAILABLE, sentence

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Is the API up and the warehouse reachable?")
def healthz(request: Request) -> Response:
    """200 `{"status": "ok"}` when a query reaches the warehouse; 503 with one sentence when not."""
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return JSONResponse({"detail": sentence(DATABASE_UNAVAILABLE)}, status_code=503,
                            headers={"Cache-Control": "no-store"})
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


@router.get("/metrics", summary="Prometheus metrics")
def metrics(request: Request) -> Response:
    """Requests by route template, method and status; latency by route template; the database pool
    (connections checked out, overflow, size), in Prometheus' text format."""
    body = generate_latest(request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
