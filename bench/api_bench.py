"""How fast does the read API answer 50 concurrent clients, and what does keyset paging save over OFFSET?

1. A throwaway warehouse holds 7 simulated days, filled in SQL by bench/status_bench.py's statements
   (pilots online every 15 s, reconnecting every 2 hours; their flights, positions, ATC, snapshots and
   two movements per connection), with fewer pilots than the live network for speed: 100 online
   (--quick 30), so 4.0 million position rows. The busiest day then gets a burst of generated
   movements at YSSY (20,000; --quick 5,000), so that its listing is deep.
2. `uvicorn bench.api_offset_app:create_bench_app` serves the API on 127.0.0.1 in a subprocess, plus
   the baseline route that pages the same listing with OFFSET (bench only).
3. 50 clients (httpx, asyncio) share a bounded list of requests, with a time limit:
   - the live endpoints: /v1/network/status and the first page of /v1/network/flights, alternating;
   - every page of YSSY's busiest day, 100 rows a page, by cursor (the API), then the same pages by
     OFFSET (the baseline), each list shuffled the same way and run 5 times over (--quick twice).
Figures: requests/s and p50/p95 latency per variant; the ratios are OFFSET over keyset, same run.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench.api_offset_app import URL_VARIABLE
from bench.figures import figure, percentile, ratio
from bench.status_bench import FILL_ATC, FILL_FLIGHTS, FILL_MOVEMENTS, FILL_POSITIONS, FILL_SNAPSHOTS
from bench.warehouse import throwaway_database
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.server import PostgresServer

NAME = "api"
CLIENTS = 50
PAGE_ROWS = 100
AIRPORT = "YSSY"
TIME_LIMIT_S = 60  # per variant: the run is bounded whatever the machine
SEED = 7

# A burst of departures at one airport on one day: a deep listing to page through.
FILL_BUSY_DAY = """
INSERT INTO vatstats.traffic_movements
    (airport, movement_type, at, cid, callsign, logon_time, aircraft_type, filed_departure, filed_arrival,
     matches_flight_plan)
SELECT :airport, 'departure', CAST(:day_start AS timestamptz) + (n * 86399.0 / :movements) * interval '1 second',
       2000000 + n, 'BURST' || n, CAST(:day_start AS timestamptz) - interval '1 hour', 'A320', :airport, 'YMML', true
FROM generate_series(0, :movements - 1) AS n
"""


def fill(engine: sa.Engine, days: float, pilots: int, burst: int, end: datetime) -> dict:
    snapshots = max(2, int(days * 24 * 240))
    start = end - (snapshots - 1) * timedelta(seconds=15)
    busy_day = (end - timedelta(days=1)).date() if days >= 2 else end.date()
    params = {"start": start, "snapshots": snapshots, "pilots": pilots, "controllers": 40}
    started = time.perf_counter()
    with engine.begin() as conn:
        ensure_partitions(conn, start.date() - timedelta(days=1), end.date() + timedelta(days=1))
        for statement in (FILL_POSITIONS, FILL_FLIGHTS, FILL_ATC, FILL_SNAPSHOTS, FILL_MOVEMENTS):
            conn.execute(sa.text(statement), params)
        conn.execute(sa.text(FILL_BUSY_DAY), {"airport": AIRPORT, "movements": burst,
                                              "day_start": datetime.combine(busy_day, datetime.min.time(), tzinfo=UTC)})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    with engine.connect() as conn:
        counts = {table: conn.exec_driver_sql(f"SELECT count(*) FROM vatstats.{table}").scalar()
                  for table in ("flight_positions", "flights", "traffic_movements")}
        day_movements = conn.execute(sa.text(
            "SELECT count(*) FROM vatstats.traffic_movements WHERE airport = :a AND at >= :s AND at < :e"),
            {"a": AIRPORT, "s": datetime.combine(busy_day, datetime.min.time(), tzinfo=UTC),
             "e": datetime.combine(busy_day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)}).scalar()
    return {"fill_s": round(time.perf_counter() - started, 1), "days": days, "pilots_online": pilots,
            "busy_day": busy_day, "busy_day_movements": day_movements, **counts}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_api(url: str, port: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VATSTATS_")}
    env[URL_VARIABLE] = url
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bench.api_offset_app:create_bench_app", "--factory", "--host",
             "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=Path(__file__).resolve().parents[1],
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_api(process)
            raise RuntimeError(f"the API did not start:\n{log.read_text(errors='replace')[-1500:]}")
        time.sleep(0.3)


def stop_api(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def keyset_pages(base: str, day: date) -> list[str]:
    """Every page's URL of the busy day's listing, found by walking the cursors once."""
    urls, cursor = [], None
    with httpx.Client(base_url=base, timeout=30) as client:
        while True:
            params = {"date": day.isoformat(), "limit": PAGE_ROWS, **({"cursor": cursor} if cursor else {})}
            urls.append(str(client.build_request("GET", f"/v1/airports/{AIRPORT}/movements", params=params).url))
            response = client.get(f"/v1/airports/{AIRPORT}/movements", params=params)
            response.raise_for_status()
            cursor = response.json()["next_cursor"]
            if cursor is None:
                return urls


async def drive(urls: list[str], clients: int, time_limit_s: float) -> dict:
    """`clients` concurrent clients take the URLs in order until none is left or time is up."""
    queue = list(reversed(urls))
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + time_limit_s

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while queue and time.perf_counter() < deadline:
            url = queue.pop()
            started = time.perf_counter()
            response = await client.get(url)
            latencies.append(time.perf_counter() - started)
            failures += response.status_code != 200

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        wall = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{failures} of {len(latencies)} requests did not answer 200")
    return {"requests": len(latencies), "wall_s": round(wall, 2), "per_s": len(latencies) / wall,
            "p50_ms": percentile(latencies, 0.5) * 1000, "p95_ms": percentile(latencies, 0.95) * 1000}


def measure(base: str, day: date, clients: int, repeats: int, time_limit_s: float, log) -> list[dict]:
    pages = keyset_pages(base, day)
    offset_urls = [f"{base}/bench/offset/airports/{AIRPORT}/movements?date={day.isoformat()}&page={n}&limit={PAGE_ROWS}"
                   for n in range(len(pages))]
    order = list(range(len(pages))) * repeats
    random.Random(SEED).shuffle(order)
    live = [f"{base}/v1/network/status", f"{base}/v1/network/flights?limit={PAGE_ROWS}"] * (len(order) // 2 or 1)
    results = {}
    for variant, urls in (("live", live), ("keyset", [pages[n] for n in order]),
                          ("offset", [offset_urls[n] for n in order])):
        asyncio.run(drive(urls[: clients * 2], clients, time_limit_s))  # warm the pool and the caches
        results[variant] = asyncio.run(drive(urls, clients, time_limit_s))
        log(f"{variant}: {results[variant]['requests']:,} requests, {results[variant]['per_s']:.0f}/s, "
            f"p95 {results[variant]['p95_ms']:.1f} ms")
    keyset, offset, live_figures = results["keyset"], results["offset"], results["live"]
    depth = f"{len(pages)} pages of {PAGE_ROWS}"
    shared = {"clients": clients, "pages": len(pages)}
    return [
        figure(NAME, f"{clients} clients: status + current flights, requests/s", live_figures["per_s"], "req/s",
               **shared, **live_figures),
        figure(NAME, f"{clients} clients: status + current flights, p95", live_figures["p95_ms"], "ms",
               p50_ms=round(live_figures["p50_ms"], 1)),
        figure(NAME, f"{clients} clients: a day's movements by cursor ({depth}), requests/s", keyset["per_s"], "req/s",
               ratio=ratio(keyset["per_s"], offset["per_s"]), ratio_label="keyset / OFFSET", **shared, **keyset),
        figure(NAME, f"{clients} clients: the same pages by OFFSET (old), requests/s", offset["per_s"], "req/s",
               **shared, **offset),
        figure(NAME, f"{clients} clients: a day's movements by cursor, p50", keyset["p50_ms"], "ms",
               ratio=ratio(offset["p50_ms"], keyset["p50_ms"]), ratio_label="OFFSET / keyset"),
        figure(NAME, f"{clients} clients: a day's movements by cursor, p95", keyset["p95_ms"], "ms",
               ratio=ratio(offset["p95_ms"], keyset["p95_ms"]), ratio_label="OFFSET / keyset",
               offset_p95_ms=round(offset["p95_ms"], 1), offset_p50_ms=round(offset["p50_ms"], 1)),
    ]


def run(quick: bool, *, server: PostgresServer, days: float = 7, pilots: int | None = None, burst: int | None = None,
        clients: int = CLIENTS, repeats: int | None = None, time_limit_s: float = TIME_LIMIT_S, log=None) -> list[dict]:
    log = log or (lambda message: print(f"  [{NAME}] {message}", file=sys.stderr, flush=True))
    pilots = pilots or (30 if quick else 100)
    burst = burst if burst is not None else (5_000 if quick else 20_000)
    repeats = repeats or (2 if quick else 5)
    end = datetime.now(UTC).replace(microsecond=0)
    end -= timedelta(seconds=end.second % 15)
    with throwaway_database(server, NAME) as database, \
            tempfile.TemporaryDirectory(prefix="vatstats-bench-api-") as tmp:
        filled = fill(database.engine, days, pilots, burst, end)
        log(f"{days:g} days x {pilots} pilots filled in {filled['fill_s']} s: "
            f"{filled['flight_positions']:,} positions, {filled['busy_day_movements']:,} movements at {AIRPORT} "
            f"on {filled['busy_day']}")
        port = _free_port()
        process = start_api(database.url, port, Path(tmp) / "uvicorn.log")
        try:
            figures = measure(f"http://127.0.0.1:{port}", filled["busy_day"], clients, repeats, time_limit_s, log)
        finally:
            stop_api(process)
    for row in figures:
        row["details"]["warehouse"] = {k: str(v) if isinstance(v, date) else v for k, v in filled.items()}
    return figures


if __name__ == "__main__":
    from bench.suite import main

    raise SystemExit(main(["--only", NAME, *sys.argv[1:]]))
