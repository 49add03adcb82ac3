"""Rebuild flights, atc_positions, flight_positions and transceiver_tunings for a window of whole UTC
days from the raw snapshots feed_snapshots still holds (with the transceivers stored beside them),
through the ingest tick path (`prepare_tick`, `write_tick_rows`).

A window [start, end) is rebuilt in three steps:
1. Prepare (one transaction). Rows of connections seen after the window (last_seen >= end) are copied
   to the rebuild_held_* tables; rows of connections first seen inside the window are deleted; rows of
   connections alive at `start` are reset to their state at `start`; the window's track partitions
   are emptied. The state at `start` of a connection is what the tick path makes of the last raw
   snapshot before `start` that shows it (looked for in the hour before), with moved_at from its last
   track row before `start` and first_seen and max_altitude_ft kept as stored. Tuning runs starting
   inside the window are deleted, those from before it cut back to the last snapshot before it, and
   the part after the window of those reaching past it kept as a run of its own.
2. Replay the window's snapshots in time order, a page of up to PAGE_SIZE written as one batch in its
   own transaction with the progress row, so a rebuild that stops resumes after the last batch
   committed; worker processes parse and prepare the next pages meanwhile.
3. Finish (one transaction): merge the held rows back. The rows of connections seen after the window
   take their stored values, except first_seen (the earliest), max_altitude_ft (the highest) and a
   moved_at from inside or before the window (the rebuilt one). A tuning run the window left open
   is joined to its part after the window where live ingestion's next tick would have extended it.

Each snapshot is applied with the region it was stored under (feed_snapshots.region) unless one is
given, and with the store_names setting of the rebuild; bodies stored without names give none.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa

from vatstats_assets.core.feed import FeedFormatError, parse_snapshot
from vatstats_assets.core.region import Region
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.core.tuning_runs import extendable_run_end
from vatstats_assets.process_pool import OrderedPool
from vatstats_assets.storage import bulk
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.ingest import NOT_FETCHED, PreparedTick, prepare_tick
from vatstats_assets.storage.partitions import days_between, ensure_partitions, partition_name
from vatstats_assets.storage.raw_body import ENCODING, decompress_raw
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import ATC_POSITIONS, FLIGHT_POSITIONS, FLIGHTS, SCHEMA, TableSpec
from vatstats_assets.storage.tick_batch import TickBatch, rewrite_batch, tick_batch

log = logging.getLogger(__name__)

# Any constant shared by all vatstats processes (the migration lock's is another): one rebuild at a time.
REBUILD_LOCK_KEY = 0x7661_7473_7462
# Ingestion counts as running while the newest snapshot is younger than this: 5 minutes is twenty
# missed snapshots, past any feed hiccup the sensor rides out.
LIVE_INGEST_WITHIN = timedelta(minutes=5)
# A connection last seen this close to the newest snapshot may still be online (dropped from a
# snapshot or two, it comes back under the same key); live ingestion would then update its row.
STILL_ONLINE_WITHIN = timedelta(minutes=10)
# How far before the window a connection alive at its start is looked for in the raw snapshots: one
# absent from the feed for longer before midnight falls back to its last track row.
START_STATE_LOOKBACK = timedelta(hours=1)
# Compressed bodies held at once (~100-600 KB each), and the most snapshots a batch writes: ten
# minutes of feed a transaction, as `vatstats replay` writes them (commands/archive_writer.py).
PAGE_SIZE = 40
# Connections whose rows the window decides for as long as it lasts: held back and merged at the end.
REBUILT_TABLES = (FLIGHTS, ATC_POSITIONS)
# Only these columns are merged back across the window's edges as the stored rows had them; the
# rest are the latest snapshot's (flights_moved_at.sql, tables.py).
_KEPT_AT_START = ("first_seen", "max_altitude_ft", "moved_at")
# How each table's rows seen at or after :at are found (flights through the hour index, migration 005).
_SEEN_SINCE = {
    FLIGHTS.name: "last_seen_hour >= date_trunc('hour', CAST(:at AS timestamptz) AT TIME ZONE 'UTC')"
                  " AND last_seen >= :at",
    ATC_POSITIONS.name: "last_seen >= :at",
}


class RebuildRefused(Exception):
    """The window cannot be rebuilt now; the message says why in one sentence. Nothing was changed."""


@dataclass(frozen=True)
class RebuildResult:
    start: datetime
    end: datetime
    snapshots: int  # applied by this call (a resumed rebuild counts those after the stop)
    resumed: bool
    alive_at_start: int  # connections reset to their state at the window's start
    held: int  # connections seen after the window, merged back at the end
    positions: int  # track rows of the window once rebuilt (all of them, a resumed rebuild too)
    skipped: int  # stored bodies that no longer parse as a snapshot
    seconds: float

    @property
    def snapshots_per_s(self) -> float:
        return self.snapshots / self.seconds if self.seconds > 0 else 0.0

    def as_metadata(self) -> dict[str, Any]:
        return {
            "snapshots_replayed": self.snapshots, "resumed": self.resumed,
            "connections_alive_at_start": self.alive_at_start, "connections_seen_after": self.held,
            "positions_written": self.positions, "snapshots_unreadable": self.skipped,
            "rebuild_s": round(self.seconds, 1), "snapshots_per_s": round(self.snapshots_per_s, 1),
        }


@dataclass(frozen=True)
class _StoredSnapshot:
    update_timestamp: datetime
    fetched_at: datetime
    source: str
    body: bytes
    body_encoding: str
    region: str
    transceivers_body: bytes | None  # zstd, as stored beside the snapshot (migration 012)
    transceivers_missing: str | None

    @classmethod
    def of(cls, row: sa.Row) -> _StoredSnapshot:
        """A row of rebuild_snapshots_*.sql; its bodies as bytes (the driver's memoryviews do not
        pickle, and pages travel to worker processes)."""
        snapshot = cls(*row)
        transceivers = snapshot.transceivers_body
        return dataclasses.replace(snapshot, body=bytes(snapshot.body),
                                   transceivers_body=None if transceivers is None else bytes(transceivers))


def window_days(start: datetime, end: datetime) -> list[date]:
    """The UTC days of [start, end), which must be whole days."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if start.time() != datetime.min.time() or end.time() != datetime.min.time() or end <= start:
        raise ValueError(f"a rebuild window is whole UTC days, not {start.isoformat()}..{end.isoformat()}")
    return days_between(start.date(), (end - timedelta(days=1)).date())


def rebuild_window(
    engine: sa.Engine, start: datetime, end: datetime, *, region_for: Callable[[str], Region], store_names: bool,
    workers: int = 0, now: datetime | None = None,
) -> RebuildResult:
    """Re-derive the three tables for the whole UTC days of [start, end); RebuildRefused says why not.
    `workers` processes prepare the snapshots beside the writing one (0: this one does it all); they
    are handed `region_for`, which must then pickle (a module-level function, or StoredRegion)."""
    days = window_days(start, end)
    if workers < 0:
        raise RebuildRefused(f"workers must be 0 or more, not {workers}")
    started = time.perf_counter()
    with engine.connect() as lock_conn, _rebuild_lock(lock_conn):
        with engine.connect() as conn:
            _refuse_unless_rebuildable(conn, start, end, days, now or datetime.now(UTC))
            progress = conn.execute(sa.text(
                "SELECT window_start, window_end, last_snapshot FROM vatstats.rebuild_progress")).one_or_none()
        if progress is not None and (progress.window_start, progress.window_end) != (start, end):
            raise RebuildRefused(
                f"an unfinished rebuild of {progress.window_start:%Y-%m-%d}..{progress.window_end:%Y-%m-%d} "
                "(exclusive) is pending; rebuild those days again to finish it first")
        resumed = progress is not None
        alive = held = 0
        if progress is not None:
            after = progress.last_snapshot or start - timedelta(microseconds=1)
            log.info("resuming the rebuild of %s..%s after %s", start, end, after)
        else:
            with engine.begin() as conn:
                ensure_partitions(conn, days[0], days[-1], [FLIGHT_POSITIONS.name])
            alive, held = _prepare(engine, start, end, region_for, store_names)
            after = start - timedelta(microseconds=1)
        applied, positions, skipped = _replay(engine, start, end, after, region_for, store_names, workers)
        with engine.begin() as conn:
            if resumed:
                held = sum(conn.execute(sa.text(f"SELECT count(*) FROM {_held(spec)}")).scalar_one()
                           for spec in REBUILT_TABLES)
            _finish(conn, end)
            conn.execute(sa.text("DELETE FROM vatstats.rebuild_progress"))
    return RebuildResult(start, end, applied, resumed, alive, held, positions, skipped,
                         time.perf_counter() - started)


def oldest_raw_day_needed(conn: sa.Connection) -> date | None:
    """The oldest raw day a rebuild may still read, for raw retention to keep: the day before the window
    of a rebuild under way or stopped (its start state is looked for there); today while a rebuild is
    starting, its window not yet known; None when there is none. When no rebuild runs, the rebuild
    lock is taken for the caller's transaction, so none starts before the partitions are dropped."""
    free = conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": REBUILD_LOCK_KEY}).scalar()
    start = conn.execute(sa.text("SELECT min(window_start) FROM vatstats.rebuild_progress")).scalar()
    if start is None:
        return None if free else datetime.now(UTC).date()
    return start.astimezone(UTC).date() - timedelta(days=1)


class _rebuild_lock:
    """A session advisory lock on a connection of its own: a second rebuild waits for the first."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        if not self.conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": REBUILD_LOCK_KEY}).scalar():
            log.info("another rebuild is running; waiting for it to finish")
            self.conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": REBUILD_LOCK_KEY})
        self.conn.commit()

    def __exit__(self, *exc: object) -> None:
        # A pooled connection keeps a session lock: give it back explicitly, or drop the connection.
        try:
            self.conn.rollback()
            self.conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": REBUILD_LOCK_KEY})
            self.conn.commit()
        except sa.exc.DBAPIError:
            self.conn.invalidate()


def _refuse_unless_rebuildable(conn: sa.Connection, start: datetime, end: datetime, days: list[date],
                               now: datetime) -> None:
    day_starts = [datetime(d.year, d.month, d.day, tzinfo=UTC) for d in days]
    held = {d.astimezone(UTC).date() for d in conn.execute(
        sa.text(query("rebuild_days_held")), {"day_starts": day_starts}).scalars()}
    missing = [d for d in days if d not in held]
    if missing:
        shown = ", ".join(d.isoformat() for d in missing[:5]) + (" and more" if len(missing) > 5 else "")
        raise RebuildRefused(
            f"no raw snapshots are held for {shown} (they are kept VATSTATS_RAW_RETENTION_DAYS days, or were "
            "never ingested), so those days cannot be rebuilt and nothing was changed")
    newest = conn.execute(sa.text("SELECT max(update_timestamp) FROM vatstats.feed_snapshots")).scalar()
    if newest is None or newest < now - LIVE_INGEST_WITHIN:
        return
    online = conn.execute(sa.text(query("rebuild_still_online")),
                          {"online_since": newest - STILL_ONLINE_WITHIN, "end": end}).scalar_one()
    if online:
        raise RebuildRefused(
            f"ingestion is live and {online} connections seen in {days[0]}..{days[-1]} may still be online, "
            "so their rows would be written by both; rebuild these days once they have logged off, "
            "or stop the vatsim_feed_sensor first")


def _held(spec: TableSpec) -> str:
    return f"{SCHEMA}.rebuild_held_{spec.name}"


def _prepare(engine: sa.Engine, start: datetime, end: datetime, region_for: Callable[[str], Region],
             store_names: bool) -> tuple[int, int]:
    """Step 1, in one transaction; returns (connections alive at start, connections seen after end)."""
    with engine.connect() as conn:
        alive_keys: dict[str, set[tuple]] = {spec.name: set() for spec in REBUILT_TABLES}
        for row in conn.execute(sa.text(query("rebuild_alive_at_start")), {"start": start}):
            key = {"cid": row.cid, "callsign": row.callsign, "logon_time": row.logon_time}
            spec = FLIGHTS if row.table_name == FLIGHTS.name else ATC_POSITIONS
            alive_keys[spec.name].add(tuple(key[k] for k in spec.key))
    start_rows = _start_state(engine, start, alive_keys, region_for, store_names)
    held = 0
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO vatstats.rebuild_progress (window_start, window_end) VALUES (:s, :e)"),
                     {"s": start, "e": end})
        for spec in REBUILT_TABLES:
            columns = ", ".join(spec.columns)
            conn.execute(sa.text(f"DELETE FROM {_held(spec)}"))
            held += conn.execute(sa.text(
                f"INSERT INTO {_held(spec)} ({columns}) SELECT {columns} FROM {spec.qualified}"
                f" WHERE {_SEEN_SINCE[spec.name]} AND first_seen < :end"), {"at": end, "end": end}).rowcount
            conn.execute(sa.text(
                f"DELETE FROM {spec.qualified} WHERE {_SEEN_SINCE[spec.name]} AND first_seen >= :at"
                " AND first_seen < :end"), {"at": start, "end": end})
        conn.execute(sa.text(query("rebuild_reset_moved_at")), {"start": start})
        for spec in REBUILT_TABLES:
            _reset_from_rows(conn, spec, start_rows[spec.name])
        conn.execute(sa.text(query("rebuild_reset_from_track")), {"start": start})
        conn.execute(sa.text(query("rebuild_reset_unseen")), {"start": start})
        edges = conn.execute(sa.text(query("rebuild_tunings_edges")), {"start": start, "end": end}).one()
        conn.execute(sa.text(query("rebuild_tunings_reset")), {
            "start": start, "end": end, "before_start": edges.before_start, "after_end": edges.after_end})
        for day in window_days(start, end):
            # Whole days: emptying the partition costs no dead rows (its lock is this transaction's).
            conn.exec_driver_sql(f"TRUNCATE {SCHEMA}.{partition_name(FLIGHT_POSITIONS.name, day)}")
    return sum(len(keys) for keys in alive_keys.values()), held


def _start_state(engine: sa.Engine, start: datetime, alive_keys: dict[str, set[tuple]],
                 region_for: Callable[[str], Region], store_names: bool) -> dict[str, list[tuple]]:
    """The rows the tick path makes of the last snapshot before `start` showing each connection
    alive at `start`: newest snapshot first, until every one is found or the look-back ends."""
    wanted = {name: set(keys) for name, keys in alive_keys.items()}
    found: dict[str, list[tuple]] = {name: [] for name in alive_keys}
    region_for = _once_each(region_for)
    before, not_before = start, start - START_STATE_LOOKBACK
    while any(wanted.values()):
        with engine.connect() as conn:
            page = [_StoredSnapshot.of(row) for row in conn.execute(
                sa.text(query("rebuild_snapshots_before")),
                {"before": before, "not_before": not_before, "limit": PAGE_SIZE})]
        if not page:
            break
        for stored in page:
            tick = _tick(stored, region_for, store_names)
            if isinstance(tick, str):
                log.warning(tick)
                continue
            for spec in REBUILT_TABLES:
                rows = tick.tables[spec.name]
                assert isinstance(rows, bulk.TableRows)
                key_at = [spec.columns.index(k) for k in spec.key]
                for row in rows.rows:
                    key = tuple(row[i] for i in key_at)
                    if key in wanted[spec.name]:
                        wanted[spec.name].discard(key)
                        found[spec.name].append(row)
            if not any(wanted.values()):
                break
        before = page[-1].update_timestamp
    unresolved = sum(len(keys) for keys in wanted.values())
    if unresolved:
        log.info("%d connections alive at %s are in no raw snapshot of the hour before; their state at the "
                 "start comes from the track history", unresolved, start)
    return found


def _reset_from_rows(conn: sa.Connection, spec: TableSpec, rows: list[tuple]) -> None:
    """Set the stored rows of these connections to the given rows, but for the columns kept at start."""
    if not rows:
        return
    stage = f"rebuild_start_{spec.name}"
    conn.exec_driver_sql(f"CREATE TEMP TABLE {stage} (LIKE {spec.qualified}) ON COMMIT DROP")
    bulk.copy_rows(conn, stage, spec.columns, rows, spec.copy_types)
    columns = [c for c in spec.updatable if c not in _KEPT_AT_START]
    key = " AND ".join(f"t.{k} = s.{k}" for k in spec.key)
    conn.exec_driver_sql(
        f"UPDATE {spec.qualified} AS t SET ({', '.join(columns)}) = ({', '.join(f's.{c}' for c in columns)})"
        f" FROM {stage} AS s WHERE {key}")


def _snapshot_pages(engine: sa.Engine, after: datetime, end: datetime) -> Iterator[list[_StoredSnapshot]]:
    """The window's stored snapshots after `after`, oldest first, a page at a time; a page never
    crosses a midnight (a batch lies inside one UTC day, storage/tick_batch.py)."""
    while True:
        day = (after + timedelta(microseconds=1)).astimezone(UTC).date()
        until = min(end, datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1))
        with engine.connect() as conn:
            page = [_StoredSnapshot.of(row) for row in conn.execute(
                sa.text(query("rebuild_snapshots_after")), {"after": after, "end": until, "limit": PAGE_SIZE})]
        if page:
            yield page
            after = page[-1].update_timestamp
        elif until == end:
            return
        else:  # the day is done: on to the next
            after = until - timedelta(microseconds=1)


def _tick(stored: _StoredSnapshot, region_for: Callable[[str], Region], store_names: bool) -> PreparedTick | str:
    """The tick the ingest path makes of a stored snapshot, as it was fetched (source, fetched_at),
    or why it cannot be applied (logged by the caller: this may run in a worker process)."""
    body = decompress_raw(stored.body, stored.body_encoding)
    try:
        snapshot = parse_snapshot(body)
    except FeedFormatError as error:
        return f"the stored snapshot {stored.update_timestamp} no longer parses ({error}); skipped"
    if snapshot.update_timestamp != stored.update_timestamp:
        # Another snapshot's body (a copied or mended row): its rows would land outside the window.
        return (f"the stored snapshot {stored.update_timestamp} holds the body of the snapshot of "
                f"{snapshot.update_timestamp}; skipped")
    # The tick writes the feed_snapshots row again (the test compares it): whatever prepare_tick is
    # given beside the data body when fetched live must be read back from the stored row and given
    # here too, or the row's stored copy would be overwritten with none.
    # The stored bodies are kept as they are (zstd, or a replayed archive's gzip) unless names must
    # now be blanked: compressing them again would cost the time of a live tick's compression.
    keep = store_names
    encoding = stored.body_encoding if keep else ENCODING
    return prepare_tick(snapshot, body, source=stored.source, fetched_at=stored.fetched_at,
                        region=region_for(stored.region), store_names=store_names,
                        compressed=stored.body if keep else None, encoding=encoding,
                        transceivers=_stored_transceivers(stored, keep=stored.body_encoding == encoding))


def _stored_transceivers(stored: _StoredSnapshot, *, keep: bool) -> TransceiversFeed:
    """The transceivers the snapshot was stored with, or why it had none: without them the tick
    would write the snapshot's row again with its transceivers body gone. `keep`: the stored
    body is written again as it is (it is in the encoding the row keeps)."""
    if stored.transceivers_body is None:
        return TransceiversFeed.not_received(stored.transceivers_missing or NOT_FETCHED)
    body = decompress_raw(stored.transceivers_body, stored.body_encoding)
    return TransceiversFeed.received(body, stored=stored.transceivers_body if keep else None)


@dataclass(frozen=True)
class _Segment:
    """Consecutive readable snapshots of a page as one batch, and the newest snapshot dealt with: a
    snapshot that no longer parses ends a segment (`unreadable` says why), and the next continues
    after it."""

    batch: TickBatch
    last: datetime
    unreadable: str | None


def _once_each(region_for: Callable[[str], Region]) -> Callable[[str], Region]:
    """`region_for` resolving each stored region once, for a page or a look-back: resolving a
    boundary region checks its sector files for changes (a stat of each, about 0.2 ms), which
    every snapshot need not repeat. Not kept longer, so that a change to the files is seen."""
    regions: dict[str, Region] = {}

    def resolve(stored_region: str) -> Region:
        if stored_region not in regions:
            regions[stored_region] = region_for(stored_region)
        return regions[stored_region]

    return resolve


def _prepare_page(page: list[_StoredSnapshot], region_for: Callable[[str], Region],
                  store_names: bool) -> list[_Segment]:
    """A page of stored snapshots as the batches that write it (run in a worker process)."""
    segments = []
    ticks: list[PreparedTick] = []
    page_region = _once_each(region_for)
    with collector_paused():  # as live ingestion, for the whole batch (storage/gc_pause.py)
        for stored in page:
            tick = _tick(stored, page_region, store_names)
            if not isinstance(tick, str):
                ticks.append(tick)
                continue
            segments.append(_Segment(tick_batch(ticks), stored.update_timestamp, unreadable=tick))
            ticks = []
        if ticks:
            segments.append(_Segment(tick_batch(ticks), page[-1].update_timestamp, unreadable=None))
    return segments


def _replay(engine: sa.Engine, start: datetime, end: datetime, after: datetime,
            region_for: Callable[[str], Region], store_names: bool, workers: int) -> tuple[int, int, int]:
    """Step 2: every snapshot of the window after `after`, a page of consecutive readable snapshots
    written as one batch (storage/tick_batch.py rewrite_batch) and committed with the progress row.
    Worker processes parse and prepare the next pages while this one writes (process_pool.py)."""
    applied = skipped = 0
    prepare = partial(_prepare_page, region_for=region_for, store_names=store_names)
    with OrderedPool(workers) as pool:
        for segments in pool.map(prepare, _snapshot_pages(engine, after, end)):
            for segment in segments:
                applied += _write_batch(engine, segment.batch, segment.last, start, end)
                if segment.unreadable is not None:
                    log.warning(segment.unreadable)
                    skipped += 1
    with engine.connect() as conn:
        positions = conn.execute(sa.text(
            "SELECT count(*) FROM vatstats.flight_positions WHERE observed_at >= :start AND observed_at < :end"),
            {"start": start, "end": end}).scalar_one()
    return applied, positions, skipped


def _write_batch(engine: sa.Engine, batch: TickBatch, last: datetime, start: datetime, end: datetime) -> int:
    """Write the batch and record `last` (the newest snapshot dealt with) as applied; returns how
    many snapshots were written."""
    with engine.begin() as conn:
        rewrite_batch(conn, batch)
        conn.execute(sa.text(
            "UPDATE vatstats.rebuild_progress SET last_snapshot = :at,"
            " snapshots_applied = snapshots_applied + :applied WHERE window_start = :start AND window_end = :end"),
            {"at": last, "applied": len(batch.ticks), "start": start, "end": end})
    return len(batch.ticks)


def _finish(conn: sa.Connection, end: datetime) -> None:
    """Step 3: merge the rows of connections seen after the window back, then empty the held tables;
    join the tuning runs the window's ticks left open to their kept parts after it."""
    _join_tunings_across_end(conn, end)
    merged = {
        "first_seen": "LEAST(t.first_seen, EXCLUDED.first_seen)",
        "max_altitude_ft": "GREATEST(t.max_altitude_ft, EXCLUDED.max_altitude_ft)",
        # The stored moved_at when the connection moved after the window; else the rebuilt one.
        "moved_at": "CASE WHEN EXCLUDED.moved_at >= :end THEN EXCLUDED.moved_at ELSE t.moved_at END",
    }
    for spec in REBUILT_TABLES:
        columns = ", ".join(spec.columns)
        assignments = ", ".join(f"{c} = {merged.get(c, f'EXCLUDED.{c}')}" for c in spec.updatable)
        conn.execute(sa.text(
            f"INSERT INTO {spec.qualified} AS t ({columns}) SELECT {columns} FROM {_held(spec)}"
            f" ON CONFLICT ({', '.join(spec.key)}) DO UPDATE SET {assignments}"), {"end": end})
        conn.execute(sa.text(f"DELETE FROM {_held(spec)}"))


def _join_tunings_across_end(conn: sa.Connection, end: datetime) -> None:
    """Where live ingestion's first tick with transceivers after the window extended the runs it
    found open, join the rebuilt runs to their parts after the window (rebuild_tunings_join.sql)."""
    after_end = conn.execute(sa.text(query("rebuild_tunings_edges")), {"start": end, "end": end}).one().after_end
    if after_end is None:
        return
    state = conn.execute(sa.text(query("tuning_run_state")), {"ts": after_end}).one()
    extend_from = extendable_run_end(after_end, state.previous_snapshot, state.previous_transceivers)
    if extend_from is not None:
        conn.execute(sa.text(query("rebuild_tunings_join")), {"extend_from": extend_from, "after_end": after_end})
