"""Prometheus metrics of one app, in its own registry (two apps in one process never share counters).

- `vatstats_api_requests_total{route, method, status}`: requests answered, by route template
  (`/v1/airports/{airport}/movements`, never the path a client typed: one series per endpoint);
- `vatstats_api_request_duration_seconds{route}`: how long answers took;
- `vatstats_api_db_pool_*`: the SQLAlchemy pool, read when Prometheus scrapes.
Requests that match no route count under `route="unmatched"`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# From a cached point lookup (~2 ms) to a page that waited for a busy pool.
LATENCY_BUCKETS_S = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED = "unmatched"


class PoolCollector(Collector):
    """The engine's connection pool, read at scrape time."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pool = self._engine.pool
        figures = {
            "checked_out": ("connections lent to requests now", "checkedout"),
            "overflow": ("connections open beyond the pool's size now (negative: not yet opened)", "overflow"),
            "size": ("connections the pool keeps", "size"),
        }
        for name, (documentation, method) in figures.items():
            read = getattr(pool, method, None)
            if read is not None:
                yield GaugeMetricFamily(f"vatstats_api_db_pool_{name}", f"Database pool: {documentation}.",
                                        value=float(read()))


class ApiMetrics:
    def __init__(self, engine: sa.Engine) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("vatstats_api_requests", "Requests answered, by route template, method and status.",
                                ("route", "method", "status"), registry=self.registry)
        self.latency = Histogram("vatstats_api_request_duration_seconds", "Time to answer a request, by route template.",
                                 ("route",), buckets=LATENCY_BUCKETS_S, registry=self.registry)
        self.registry.register(PoolCollector(engine))


def route_template(scope: Scope) -> str:
    """The path template of the route a request matched: FastAPI puts the route in the scope while
    routing (the routers take no prefix, so a route's path is its whole template)."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED


class MetricsMiddleware:
    """Counts and times every HTTP request (a plain ASGI middleware: no body buffering)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception before the response started is answered with a 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = route_template(scope)
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
