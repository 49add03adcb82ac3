"""Rebuilding from the raw snapshots against `vatstats replay` of the same snapshots, in one run.

A simulated slice of a day (240 consecutive snapshots, an hour, at 1,500 pilots, global region) is
first ingested one snapshot a transaction, as `vatstats replay` did before its batches
(parse_and_compress, stored_state, prepare_tick, write_tick per snapshot; the same tick path the
rebuild takes) into a throwaway database, timed; then the day is rebuilt from the feed_snapshots rows
that wrote (storage/rebuild.py: pages of stored snapshots decompressed and prepared, each written as
one batch with the progress row, plus the window's preparation and finishing merge), timed twice:
prepared in the writing process (workers 0), then in one worker process a core (the asset's
default). Both rebuilds must leave the rows the replay wrote. Bodies are generated before each
snapshot is timed and never all held at once.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bench.figures import figure, ratio
from bench.simulated import DEFAULT_START, snapshot_bodies
from bench.warehouse import throwaway_database
from vatstats_assets.core.region import region
from vatstats_assets.process_pool import one_per_core
from vatstats_assets.storage.ingest import (
    TICK_PARTITIONED_TABLES,
    parse_and_compress,
    prepare_tick,
    stored_state,
    write_tick,
)
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.rebuild import rebuild_window
from vatstats_assets.storage.server import PostgresServer

NAME = "rebuild"
GLOBAL = region("global")


def _checksum(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        return "/".join(conn.exec_driver_sql(sql).scalar() or "" for sql in (
            "SELECT md5(string_agg(t::text, '|' ORDER BY cid, callsign, logon_time)) FROM vatstats.flights t",
            "SELECT md5(string_agg(t::text, '|' ORDER BY callsign, cid, logon_time)) FROM vatstats.atc_positions t",
            "SELECT md5(string_agg(t::text, '|' ORDER BY cid, callsign, logon_time, observed_at))"
            " FROM vatstats.flight_positions t",
        ))


def run(quick: bool, *, server: PostgresServer, ticks: int | None = None, pilots: int | None = None) -> list[dict]:
    ticks = ticks or (40 if quick else 240)
    pilots = pilots or (300 if quick else 1_500)
    day = datetime(DEFAULT_START.year, DEFAULT_START.month, DEFAULT_START.day, tzinfo=UTC)
    with throwaway_database(server, NAME) as database:
        engine = database.engine
        with engine.begin() as conn:
            ensure_partitions(conn, day.date(), day.date(), TICK_PARTITIONED_TABLES)
        replay_s = 0.0
        for _, body in snapshot_bodies(pilots, ticks):
            started = time.perf_counter()
            snapshot, compressed = parse_and_compress(body, store_names=True)
            with engine.connect() as conn:
                stored_state(conn, snapshot.update_timestamp)
            write_tick(engine, prepare_tick(snapshot, body, source="bench-rebuild", fetched_at=datetime.now(UTC),
                                            region=GLOBAL, store_names=True, compressed=compressed))
            replay_s += time.perf_counter() - started
        replayed = _checksum(engine)
        results = {}
        for workers in (0, one_per_core()):
            result = rebuild_window(engine, day, day + timedelta(days=1), region_for=region, store_names=True,
                                    workers=workers, now=day + timedelta(days=2))
            results[workers] = (result, _checksum(engine) == replayed)
    replay_rate = ticks / replay_s
    slice_ = f"{ticks} snapshots x {pilots:,} pilots"
    rates = ", ".join(f"rebuild with {workers} workers {result.snapshots_per_s:.1f}/s (rows identical: {same})"
                      for workers, (result, same) in results.items())
    print(f"  [{NAME}] {slice_}: replay {replay_rate:.1f}/s, {rates}", file=sys.stderr, flush=True)
    return [
        figure(NAME, f"{slice_}: vatstats replay", replay_rate, "snapshots/s", seconds=round(replay_s, 1)),
        *(figure(NAME, f"{slice_}: rebuild from feed_snapshots, {workers} worker processes", result.snapshots_per_s,
                 "snapshots/s", ratio=ratio(result.snapshots_per_s, replay_rate),
                 ratio_label="rebuild / replay throughput", seconds=round(result.seconds, 1),
                 rows_identical_to_replay=same, positions_written=result.positions)
          for workers, (result, same) in results.items()),
    ]
