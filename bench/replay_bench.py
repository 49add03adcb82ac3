"""`vatstats replay` of an archive: batches and worker processes against one snapshot at a time.

A simulated hour (240 consecutive snapshots at 1,500 pilots, global region, each with its
transceivers file) is written to a temporary folder as `vatstats simulate --offline` writes it,
then replayed into throwaway databases three ways, in the same run:
- baseline: the path replay took before batches, one snapshot a transaction (read, parse,
  stored_state, prepare_tick, write_tick), in the one process;
- batches of BATCH_SNAPSHOTS (storage/tick_batch.py), parsing in the same process (--workers 0);
- batches with one worker process a core reading and parsing (the default).
All three tables are compared (checksums of every ingest table; feed_snapshots without its
fetched_at and stored_at): the figure only counts if the rows are identical.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from bench.figures import figure, ratio
from bench.simulated import DEFAULT_START
from bench.warehouse import throwaway_database
from vatstats_assets.commands.archive_writer import BATCH_SNAPSHOTS, ArchiveWriter
from vatstats_assets.commands.replay_prepare import (
    Preparer,
    Refused,
    ReplayOptions,
    prepare_file,
    start_worker,
)
from vatstats_assets.commands.snapshot_files import discover
from vatstats_assets.process_pool import one_per_core
from vatstats_assets.sim.offline import write_offline
from vatstats_assets.storage.ingest import TICK_PARTITIONED_TABLES, stored_state, write_tick
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.server import PostgresServer

NAME = "replay"
CHECKSUMS = (
    "SELECT md5(string_agg(t::text, '|' ORDER BY cid, callsign, logon_time)) FROM vatstats.flights t",
    "SELECT md5(string_agg(t::text, '|' ORDER BY callsign, cid, logon_time)) FROM vatstats.atc_positions t",
    "SELECT md5(string_agg(t::text, '|' ORDER BY cid, callsign, logon_time, observed_at)) FROM vatstats.flight_positions t",
    "SELECT md5(string_agg(t::text, '|' ORDER BY cid, callsign, logon_time, frequency_hz, first_seen))"
    " FROM vatstats.transceiver_tunings t",
    "SELECT md5(string_agg((to_jsonb(t) - 'stored_at' - 'fetched_at')::text, '|' ORDER BY update_timestamp))"
    " FROM vatstats.feed_snapshots t",
)


def _checksums(engine: sa.Engine) -> tuple[str, ...]:
    with engine.connect() as conn:
        return tuple(conn.exec_driver_sql(sql).scalar() or "" for sql in CHECKSUMS)


def one_at_a_time(engine: sa.Engine, folder: Path, options: ReplayOptions) -> None:
    """The replay before batches: a transaction per snapshot, parsed in this process."""
    start_worker(options)
    for saved in discover(folder)[0]:
        tick = prepare_file(saved.path)
        assert not isinstance(tick, Refused), tick
        with engine.connect() as conn:
            if stored_state(conn, tick.update_timestamp).already_stored:
                continue
        write_tick(engine, tick)


def in_batches(workers: int) -> Callable[[sa.Engine, Path, ReplayOptions], None]:
    def replay(engine: sa.Engine, folder: Path, options: ReplayOptions) -> None:
        snapshots = discover(folder)[0]
        with Preparer(options, workers) as preparer:
            writer = ArchiveWriter(engine)
            todo = [s.path for s in writer.start_day(snapshots[0].update_timestamp.date(), snapshots)]
            batches = (todo[start:start + BATCH_SNAPSHOTS] for start in range(0, len(todo), BATCH_SNAPSHOTS))
            for prepared in preparer.prepared(batches):
                assert not prepared.refused, prepared.refused
                writer.write(prepared)
    return replay


def run(quick: bool, *, server: PostgresServer, hours: float | None = None, pilots: int | None = None) -> list[dict]:
    hours = hours or (0.25 if quick else 1.0)
    pilots = pilots or (500 if quick else 1_500)
    workers = one_per_core()
    paths = {
        "one snapshot a transaction (before)": one_at_a_time,
        f"batches of {BATCH_SNAPSHOTS}, parsing in the writer (--workers 0)": in_batches(0),
        f"batches of {BATCH_SNAPSHOTS}, {workers} worker processes (default)": in_batches(workers),
    }
    with tempfile.TemporaryDirectory(prefix="vatstats-replay-bench-") as temporary:
        folder = Path(temporary)
        written = write_offline(folder, hours=hours, pilots=pilots, seed=7, start=DEFAULT_START)
        count = written.snapshots
        options = ReplayOptions(folder, "global", None, store_names=True)
        rates: dict[str, float] = {}
        sums: dict[str, tuple[str, ...]] = {}
        for label, replay in paths.items():
            with throwaway_database(server, NAME) as database:
                _partitions(database.engine, DEFAULT_START.date())
                started = time.perf_counter()
                replay(database.engine, folder, options)
                rates[label] = count / (time.perf_counter() - started)
                sums[label] = _checksums(database.engine)
            print(f"  [{NAME}] {label}: {rates[label]:.1f} snapshots/s", file=sys.stderr, flush=True)
    baseline = next(iter(paths))
    identical = len(set(sums.values())) == 1
    slice_ = f"{count} snapshots x {pilots:,} pilots"
    return [
        figure(NAME, f"{slice_}: {label}", rate, "snapshots/s",
               ratio=None if label == baseline else ratio(rate, rates[baseline]),
               ratio_label="" if label == baseline else "throughput / one snapshot a transaction",
               rows_identical=identical, target=">= 40 snapshots/s at 1,500 pilots (issue #16)")
        for label, rate in rates.items()
    ]


def _partitions(engine: sa.Engine, day: date) -> None:
    with engine.begin() as conn:
        ensure_partitions(conn, day, day, TICK_PARTITIONED_TABLES)


if __name__ == "__main__":  # python -m bench.replay_bench [--quick]
    from bench.warehouse import open_bench_server

    for row in run("--quick" in sys.argv, server=open_bench_server(None)):
        print(row)
