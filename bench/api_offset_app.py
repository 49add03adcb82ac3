"""The read API plus the old paging pattern, for bench/api_bench.py only: `uvicorn --factory` target.

The baseline route pages an airport's day of movements with OFFSET (`?page=N`), as the old service
did: PostgreSQL reads and throws away every row before the page, so a deep page costs the depth.
It lives here, never in the API: the API pages by key.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

import sqlalchemy as sa
from fastapi import FastAPI, Query
from starlette.requests import Request
from starlette.responses import Response

from vatstats_assets.api.app import create_app
from vatstats_assets.api.caching import FINISHED, json_response
from vatstats_assets.api.database import as_dict
from vatstats_assets.settings import Settings
from vatstats_assets.storage.engine import create_read_engine

URL_VARIABLE = "VATSTATS_BENCH_API_URL"

OFFSET_MOVEMENTS = """
SELECT at, movement_type, cid, callsign, logon_time, aircraft_type, filed_departure, filed_arrival,
       matches_flight_plan
FROM vatstats.traffic_movements
WHERE airport = :airport AND at >= :window_start AND at < :window_end
ORDER BY at, movement_type, cid, callsign, logon_time
LIMIT :limit OFFSET :offset
"""


def create_bench_app() -> FastAPI:
    settings = Settings.from_env()
    engine = create_read_engine(os.environ[URL_VARIABLE], pool_size=settings.api_pool_size,
                                max_overflow=settings.api_max_overflow)
    app = create_app(engine, settings)

    @app.get("/bench/offset/airports/{airport}/movements", include_in_schema=False)
    def offset_movements(request: Request, airport: str, day: Annotated[date, Query(alias="date")],
                         page: Annotated[int, Query(ge=0)] = 0, limit: int = 100) -> Response:
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        params = {"airport": airport, "window_start": start, "window_end": start + timedelta(days=1),
                  "limit": limit, "offset": page * limit}
        with engine.connect() as conn:
            rows = [as_dict(row) for row in conn.execute(sa.text(OFFSET_MOVEMENTS), params).mappings()]
        return json_response(request, {"items": rows, "page": page}, FINISHED)

    return app

