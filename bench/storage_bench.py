"""What storing costs: raw snapshots compressed against their JSON, and track rows not repeated.

Replays a simulated hour (240 snapshots, 1,500 pilots, global region) through the ingest path
(prepare_tick + write_tick, as `vatstats replay` does) into a throwaway database, then reports:
  - raw JSON bytes against the compressed (zstd) bytes stored in feed_snapshots (summed over the hour);
  - positions seen against positions stored in flight_positions: the rows saved by not storing a
    position identical (latitude, longitude, altitude, groundspeed) to the connection's last one;
  - for comparison, the rows a looser rule would save: a position at 0 kt on the same latitude and
    longitude as the connection's previous one (parked, whatever the altitude reads);
  - the hour's on-disk size of feed_snapshots and flight_positions (tables + indexes);
  - the same compression on the real 2024-02-20 snapshot (real names, routes and remarks compress
    differently from simulated ones), beside gzip level 5 (what was stored before migration 006):
    size and time, best of five, in this run.
"""

from __future__ import annotations

import gzip
import sys
import time
from datetime import UTC, datetime

from bench.figures import figure, ratio
from bench.simulated import DEFAULT_START, snapshot_bodies
from bench.warehouse import throwaway_database
from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.region import region
from vatstats_assets.storage.ingest import TICK_PARTITIONED_TABLES, prepare_tick, write_tick
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.raw_body import ENCODING, ZSTD_LEVEL, compress_raw
from vatstats_assets.storage.server import PostgresServer
from vatstats_tests.fixtures import load_fixture_bytes

NAME = "storage"
GLOBAL = region("global")
GZIP_LEVEL_BEFORE = 5  # feed_snapshots' gzip level before migration 006


def _best_of_five(compress) -> tuple[float, int]:
    """(milliseconds, compressed bytes) of the fastest of five calls."""
    best, size = float("inf"), 0
    for _ in range(5):
        started = time.perf_counter()
        size = len(compress())
        best = min(best, (time.perf_counter() - started) * 1000)
    return best, size


# Stored positions at 0 kt on the connection's previous stored latitude/longitude.
PARKED_REPEATS_SQL = """
SELECT count(*) FROM (
    SELECT groundspeed_kt, latitude, longitude,
           lag(latitude) OVER track AS previous_latitude, lag(longitude) OVER track AS previous_longitude
    FROM vatstats.flight_positions
    WINDOW track AS (PARTITION BY cid, callsign, logon_time ORDER BY observed_at)
) AS p
WHERE groundspeed_kt = 0 AND latitude = previous_latitude AND longitude = previous_longitude
"""


def run(quick: bool, *, server: PostgresServer, ticks: int = 240, pilots: int | None = None) -> list[dict]:
    pilots = pilots or (300 if quick else 1_500)
    seen = unchanged = 0
    with throwaway_database(server, NAME) as database:
        engine = database.engine
        with engine.begin() as conn:
            ensure_partitions(conn, DEFAULT_START.date(), DEFAULT_START.date(), TICK_PARTITIONED_TABLES)
        for _, body in snapshot_bodies(pilots, ticks):
            snapshot = parse_snapshot(body)
            tick = prepare_tick(snapshot, body, source="bench-storage", fetched_at=datetime.now(UTC),
                                region=GLOBAL, store_names=True)
            positions = write_tick(engine, tick)["flight_positions"]
            seen += positions.inserted + positions.unchanged
            unchanged += positions.unchanged
        with engine.connect() as conn:
            raw, compressed, snapshots = conn.exec_driver_sql(
                "SELECT sum(raw_bytes), sum(compressed_bytes), count(*) FROM vatstats.feed_snapshots").one()
            stored = conn.exec_driver_sql("SELECT count(*) FROM vatstats.flight_positions").scalar()
            parked_same_place = conn.exec_driver_sql(PARKED_REPEATS_SQL).scalar()
            sizes = dict(conn.exec_driver_sql(
                "SELECT p.relname, sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i"
                " JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace"
                " WHERE n.nspname = 'vatstats' AND p.relname IN ('feed_snapshots', 'flight_positions')"
                " GROUP BY p.relname").all())
    real = load_fixture_bytes("2024-02-20")
    zstd_ms, real_compressed = _best_of_five(lambda: compress_raw(real, store_names=True))
    gzip_ms, real_gzipped = _best_of_five(lambda: gzip.compress(real, compresslevel=GZIP_LEVEL_BEFORE))
    hour = f"{ticks} snapshots x {pilots:,} pilots"
    print(f"  [{NAME}] {hour}: {seen:,} positions seen, {stored:,} stored", file=sys.stderr, flush=True)
    return [
        figure(NAME, f"{hour}: raw JSON per snapshot", raw / snapshots / 1e6, "MB"),
        figure(NAME, f"{hour}: stored {ENCODING} per snapshot", compressed / snapshots / 1e6, "MB",
               ratio=ratio(raw, compressed), ratio_label=f"JSON / {ENCODING}",
               feed_snapshots_on_disk_mb=round(int(sizes.get("feed_snapshots", 0)) / 1e6, 1)),
        figure(NAME, f"real 2024-02-20 snapshot: {ENCODING}", real_compressed / 1e6, "MB",
               ratio=ratio(len(real), real_compressed), ratio_label=f"JSON / {ENCODING}", json_mb=round(len(real) / 1e6, 2),
               compression_level=ZSTD_LEVEL, compress_ms=round(zstd_ms, 2)),
        figure(NAME, f"real 2024-02-20 snapshot: gzip level {GZIP_LEVEL_BEFORE} (before 006)", real_gzipped / 1e6, "MB",
               ratio=ratio(len(real), real_gzipped), ratio_label="JSON / gzip", compress_ms=round(gzip_ms, 2)),
        figure(NAME, f"real 2024-02-20 snapshot: compression time, {ENCODING}", zstd_ms, "ms",
               ratio=ratio(gzip_ms, zstd_ms), ratio_label=f"gzip {GZIP_LEVEL_BEFORE} / {ENCODING}"),
        figure(NAME, f"{hour}: positions seen", seen, "rows"),
        figure(NAME, f"{hour}: positions stored", stored, "rows", ratio=ratio(seen, stored),
               ratio_label="seen / stored", rows_saved=seen - stored, positions_not_repeated=unchanged,
               saved_share=round((seen - stored) / seen, 4) if seen else None,
               flight_positions_on_disk_mb=round(int(sizes.get("flight_positions", 0)) / 1e6, 1)),
        figure(NAME, f"{hour}: parked at the same place (0 kt), any altitude", parked_same_place, "rows",
               ratio=ratio(seen, seen - parked_same_place) if parked_same_place else None,
               ratio_label="seen / stored if skipped",
               note="rows a rule ignoring altitude jitter on parked aircraft would also save"),
    ]


if __name__ == "__main__":
    from bench.suite import main

    raise SystemExit(main(["--only", NAME, *sys.argv[1:]]))
