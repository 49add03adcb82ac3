"""Writes an archive's prepared snapshots for `vatstats replay`: a day at a time, in batches of
consecutive snapshots where the archive carries the warehouse forward (storage/tick_batch.py), one
at a time where it fills a gap behind stored snapshots, as live ingestion would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from vatstats_assets.commands.replay_prepare import PreparedBatch, Refused, prepare_file
from vatstats_assets.commands.snapshot_files import SavedSnapshot
from vatstats_assets.storage.ingest import (
    TICK_PARTITIONED_TABLES,
    PreparedTick,
    ensure_tick_partitions,
    stored_state,
    write_tick,
)
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tick_batch import in_order, write_batch

# Ten minutes of feed a transaction: past about 20 snapshots a batch saves little more (README,
# Performance), and an interrupted replay redoes at most one batch.
BATCH_SNAPSHOTS = 40


class ArchiveWriter:
    """Each batch is one transaction: an interrupted replay loses at most one."""

    def __init__(self, engine: sa.Engine,
                 prepare_again: Callable[[Path], PreparedTick | Refused] = prepare_file) -> None:
        self.engine, self.prepare_again = engine, prepare_again
        self.written = self.skipped = 0

    def start_day(self, day: date, saved: list[SavedSnapshot]) -> list[SavedSnapshot]:
        """Make the day's partitions (one short transaction: never one DDL transaction spanning the
        archive, whose locks ran out over years) and return the files not stored yet."""
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        with self.engine.begin() as conn:
            ensure_partitions(conn, day, day, TICK_PARTITIONED_TABLES)
            stored = set(conn.execute(sa.text(query("stored_snapshot_times")),
                                      {"start": start, "end": start + timedelta(days=1)}).scalars())
        todo = []
        for snapshot in saved:
            if snapshot.update_timestamp not in stored:
                stored.add(snapshot.update_timestamp)  # a second file of the same instant is not read
                todo.append(snapshot)
        self.skipped += len(saved) - len(todo)
        return todo

    def write(self, prepared: PreparedBatch) -> None:
        ticks = prepared.batch.ticks
        if not ticks:
            return
        written = False
        if in_order(ticks):  # it is, unless a file changed after the archive was read for its times
            ensure_tick_partitions(self.engine, ticks[0].update_timestamp.date())
            with self.engine.begin() as conn:
                # A replay is resumable: commits need not wait for the disk (a crash loses the last
                # batches, which the next run writes again).
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
                written = write_batch(conn, prepared.batch)
        if written:
            self.written += len(ticks)
        else:  # behind a stored snapshot: one at a time, as live ingestion would
            for path in prepared.paths:
                self._write_alone(path)

    def _write_alone(self, path: Path) -> None:
        tick = self.prepare_again(path)
        if isinstance(tick, Refused):  # it parsed a moment ago: only a file changed since
            raise RuntimeError(f"{path} changed during the replay: {tick.reason}")
        with self.engine.connect() as conn:
            if stored_state(conn, tick.update_timestamp).already_stored:
                self.skipped += 1
                return
        write_tick(self.engine, tick)
        self.written += 1
