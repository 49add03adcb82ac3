"""How fast is the live status (one round trip) on a warehouse of 1 and 10 million position rows?

Fills a throwaway warehouse in SQL (`INSERT .. SELECT` over `generate_series`, no Python rows):
1,500 pilots online per 15 s snapshot until the wanted number of flight_positions rows is reached
(1M: about 2.8 hours, 10M: about 28 hours), each pilot reconnecting every 2 hours, so `flights`
holds one row per connection; 120 controller slots (a tenth of them ATIS) in `atc_positions`;
one `feed_snapshots` row per snapshot; a departure and an arrival per connection in
`traffic_movements`. Then times `storage.status.network_status` (sql/queries/network_status.sql),
median of N runs, and, at the smallest size only, the old service's single query, which counted
DISTINCT values over a CROSS JOIN of the tables, capped by statement_timeout (60 s).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bench.figures import figure, ratio
from bench.warehouse import throwaway_database
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.server import PostgresServer
from vatstats_assets.storage.status import network_status

NAME = "status"
PILOTS_ONLINE = 1_500
CONTROLLER_SLOTS = 120
CONNECTION_SNAPSHOTS = 480  # a pilot or controller reconnects every 2 hours (480 x 15 s)
BASELINE_TIMEOUT_S = 60
QUICK_BASELINE_TIMEOUT_S = 10  # --quick should take minutes; the old query's bound is still shown

# The old service's "single status query" (baseline only): one row from a Cartesian product of the
# tables, so every count is multiplied by the others' sizes unless DISTINCT hides it, and the work
# grows with the product of the table sizes.
OLD_CROSS_JOIN_STATUS = """
SELECT count(DISTINCT f.cid)         AS pilots_online,
       count(DISTINCT a.callsign)    AS controllers_online,
       count(DISTINCT p.observed_at) AS snapshots_today,
       count(DISTINCT m.at)          AS movements_today
FROM vatstats.flights f
CROSS JOIN vatstats.atc_positions a
CROSS JOIN vatstats.flight_positions p
CROSS JOIN vatstats.traffic_movements m
WHERE f.last_seen = (SELECT max(update_timestamp) FROM vatstats.feed_snapshots)
  AND a.last_seen = (SELECT max(update_timestamp) FROM vatstats.feed_snapshots) AND NOT a.is_atis
  AND p.observed_at >= :day_start AND m.at >= :day_start
"""

# Every statement below takes :start (first snapshot), :snapshots and :pilots; slot k's connections
# are offset by (k * 7) % 480 snapshots so that reconnects are spread over time.
FILL_POSITIONS = """
INSERT INTO vatstats.flight_positions
    (cid, callsign, logon_time, observed_at, latitude, longitude, altitude_ft, groundspeed_kt, heading_deg)
SELECT 1000000 + k * 100 + (s + (k * 7) % 480) / 480,
       'SIM' || k,
       CAST(:start AS timestamptz) + ((s + (k * 7) % 480) / 480 * 480 - (k * 7) % 480) * interval '15 seconds',
       CAST(:start AS timestamptz) + s * interval '15 seconds',
       -60 + 120 * random(), -180 + 360 * random(), (random() * 40000)::int, (random() * 480)::int,
       (random() * 359)::int
FROM generate_series(0, :snapshots - 1) AS s, generate_series(0, :pilots - 1) AS k
"""
FILL_FLIGHTS = """
INSERT INTO vatstats.flights
    (cid, callsign, logon_time, latitude, longitude, altitude_ft, groundspeed_kt, heading_deg, aircraft_type,
     departure, arrival, last_updated, first_seen, last_seen, max_altitude_ft)
SELECT cid, callsign, logon_time, -33.9, 151.2, 0, 0, 0, 'B738', 'YSSY', 'YMML',
       max(observed_at), min(observed_at), max(observed_at), max(altitude_ft)
FROM vatstats.flight_positions GROUP BY cid, callsign, logon_time
"""
FILL_ATC = """
INSERT INTO vatstats.atc_positions
    (callsign, cid, logon_time, facility, rating, is_atis, first_seen, last_seen, last_updated, frequency_khz)
SELECT CASE WHEN j % 10 = 0 THEN 'ATC' || j || '_ATIS' ELSE 'ATC' || j || '_TWR' END,
       800000 + j, logon, CASE WHEN j % 10 = 0 THEN 4 ELSE 4 END, 5, j % 10 = 0,
       greatest(logon, CAST(:start AS timestamptz)),
       least(logon + 479 * interval '15 seconds', CAST(:start AS timestamptz) + (:snapshots - 1) * interval '15 seconds'),
       logon, 118700
FROM generate_series(0, :controllers - 1) AS j,
     generate_series(0, :snapshots / 480 + 1) AS c,
     LATERAL (SELECT CAST(:start AS timestamptz) + (c * 480 - (j * 7) % 480) * interval '15 seconds' AS logon) AS l
WHERE logon <= CAST(:start AS timestamptz) + (:snapshots - 1) * interval '15 seconds'
"""
FILL_SNAPSHOTS = """
INSERT INTO vatstats.feed_snapshots
    (update_timestamp, fetched_at, source, body, body_encoding, raw_bytes, compressed_bytes, pilots, controllers, atis,
     prefiles, pilots_stored, controllers_stored, skipped_records, duplicates_dropped, region)
SELECT at, at + interval '1 second', 'bench', '\\x00'::bytea, 'zstd', 1200000, 130000, :pilots, 108, 12, 40, :pilots,
       108, 0, 0, 'global'
FROM (SELECT CAST(:start AS timestamptz) + s * interval '15 seconds' AS at
      FROM generate_series(0, :snapshots - 1) AS s) AS t
"""
FILL_MOVEMENTS = """
INSERT INTO vatstats.traffic_movements
    (airport, movement_type, at, cid, callsign, logon_time, aircraft_type, filed_departure, filed_arrival,
     matches_flight_plan)
SELECT airport, kind, at, cid, callsign, logon_time, 'B738', 'YSSY', 'YMML', true
FROM vatstats.flights,
     LATERAL (VALUES ('YSSY', 'departure', first_seen + interval '10 minutes'),
                     ('YMML', 'arrival', last_seen - interval '10 minutes')) AS m(airport, kind, at)
WHERE at BETWEEN first_seen AND last_seen
"""


def fill(engine: sa.Engine, position_rows: int, end: datetime) -> dict:
    """Fill the warehouse so that flight_positions holds about `position_rows` rows ending at `end`."""
    snapshots = max(1, position_rows // PILOTS_ONLINE)
    start = end - (snapshots - 1) * timedelta(seconds=15)
    params = {"start": start, "snapshots": snapshots, "pilots": PILOTS_ONLINE, "controllers": CONTROLLER_SLOTS}
    started = time.perf_counter()
    with engine.begin() as conn:
        ensure_partitions(conn, start.date() - timedelta(days=1), end.date())
        for statement in (FILL_POSITIONS, FILL_FLIGHTS, FILL_ATC, FILL_SNAPSHOTS, FILL_MOVEMENTS):
            conn.execute(sa.text(statement), params)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    with engine.connect() as conn:
        counts = {
            table: conn.exec_driver_sql(f"SELECT count(*) FROM vatstats.{table}").scalar()
            for table in ("flight_positions", "flights", "atc_positions", "feed_snapshots", "traffic_movements")
        }
    return {"fill_s": round(time.perf_counter() - started, 1), "hours": round(snapshots / 240, 1), **counts}


def time_status(engine: sa.Engine, at: datetime, repeats: int) -> tuple[float, dict]:
    timings, status = [], None
    with engine.connect() as conn:
        network_status(conn, at)  # warm the cache and the plan: a status page is asked for often
        for _ in range(repeats):
            started = time.perf_counter()
            status = network_status(conn, at)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), status.as_json() if status else {}


def time_old_query(engine: sa.Engine, at: datetime, timeout_s: float) -> float | None:
    """Milliseconds for the old CROSS JOIN query, or None when it hit the timeout."""
    day_start = datetime.combine(at.date(), datetime.min.time(), tzinfo=UTC)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"SET statement_timeout = {int(timeout_s * 1000)}")
        started = time.perf_counter()
        try:
            conn.execute(sa.text(OLD_CROSS_JOIN_STATUS), {"day_start": day_start}).one()
        except sa.exc.OperationalError as error:
            if "statement timeout" not in str(error):
                raise
            return None
        finally:
            conn.rollback()
        return (time.perf_counter() - started) * 1000


def run(quick: bool, *, server: PostgresServer, sizes: tuple[int, ...] | None = None, repeats: int | None = None,
        baseline_timeout_s: float | None = None) -> list[dict]:
    sizes = sizes or ((100_000,) if quick else (1_000_000, 10_000_000))
    repeats = repeats or (5 if quick else 11)
    timeout_s = baseline_timeout_s or (QUICK_BASELINE_TIMEOUT_S if quick else BASELINE_TIMEOUT_S)
    end = datetime.now(UTC).replace(microsecond=0)
    end -= timedelta(seconds=end.second % 15)
    results = []
    for index, size in enumerate(sizes):
        with throwaway_database(server, NAME) as database:
            filled = fill(database.engine, size, end)
            print(f"  [{NAME}] {size:,} rows filled in {filled['fill_s']} s", file=sys.stderr, flush=True)
            at = end + timedelta(seconds=5)
            status_ms, status = time_status(database.engine, at, repeats)
            label = f"{filled['flight_positions']:,} position rows"
            results.append(figure(NAME, f"{label}: network_status (one round trip)", status_ms, "ms",
                                  runs=repeats, tables=filled, status=status))
            if index == 0:
                old_ms = time_old_query(database.engine, at, timeout_s)
                results.append(figure(
                    NAME, f"{label}: old CROSS JOIN query",
                    old_ms if old_ms is not None else f"timed out (> {timeout_s:g} s)",
                    "ms" if old_ms is not None else "",
                    ratio=ratio(old_ms if old_ms is not None else timeout_s * 1000, status_ms),
                    ratio_label="old / new" if old_ms is not None else "old / new, at least",
                    statement_timeout_s=timeout_s))
    return results


if __name__ == "__main__":
    from bench.suite import main

    raise SystemExit(main(["--only", NAME, *sys.argv[1:]]))
