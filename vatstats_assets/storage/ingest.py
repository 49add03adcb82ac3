"""One tick of ingestion: from a parsed snapshot (and its transceivers) to the rows of the ingest tables.

Shared by every ingest path: the Dagster ingest asset (whose IO manager writes the rows),
`vatstats replay` / the benchmarks (which call `write_tick`) and the rebuild from the raw snapshots
(storage/rebuild.py, which calls `write_tick_rows`). Both write the same tables the same
way (INGEST_WRITES), in one transaction per tick. Rows travel as TableRows (tuples in column
order), never as DataFrames: nothing in a tick needs one. The track positions travel not at all:
they are the flights' positions, which PostgreSQL takes from the flights rows it was just sent.
The transceivers fetched with the snapshot become tuning runs (storage/tunings.py); a tick whose
transceivers are missing stores its snapshot all the same, saying why in transceivers_missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from vatstats_assets.core.feed import Snapshot, parse_snapshot
from vatstats_assets.core.region import Region
from vatstats_assets.core.snapshot_rows import TickRows, body_may_contain_nul, tick_rows
from vatstats_assets.core.transceivers import TransceiversFeed, TransceiversFormatError, parse_transceivers
from vatstats_assets.core.tuning_runs import TickTunings, tick_tunings
from vatstats_assets.storage import bulk
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.partitions import ensure_partitions, missing_partitions
from vatstats_assets.storage.raw_body import ENCODING, compress_raw
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import (
    ATC_POSITIONS,
    FEED_SNAPSHOTS,
    FLIGHT_POSITIONS,
    FLIGHTS,
    TRANSCEIVER_TUNINGS,
    TableSpec,
)
from vatstats_assets.storage.tunings import write_runs

log = logging.getLogger(__name__)

# asset name -> (write mode, table), in writing order. The ingest asset's outputs and write_tick
# both follow it. Track positions go after flights: they are taken from the flights' stage, and
# the flights upsert has marked which of them moved (flights.moved_at).
INGEST_WRITES: dict[str, tuple[str, TableSpec]] = {
    "raw_feed_snapshot": ("upsert", FEED_SNAPSHOTS),
    "atc_positions": ("upsert", ATC_POSITIONS),
    "flights": ("upsert", FLIGHTS),
    "flight_positions": ("append", FLIGHT_POSITIONS),
    "transceiver_tunings": ("runs", TRANSCEIVER_TUNINGS),
}
TICK_PARTITIONED_TABLES = [FEED_SNAPSHOTS.name, FLIGHT_POSITIONS.name]
# write mode -> the function writing a table's rows in a connection's transaction
WRITERS: dict[str, Callable[[sa.Connection, TableSpec, Any], bulk.WriteCounts]] = {
    "upsert": bulk.upsert, "append": bulk.append, "runs": write_runs,
}


@dataclass(frozen=True)
class StoredState:
    already_stored: bool
    latest: datetime | None


@dataclass(frozen=True)
class PreparedTick:
    """The rows one snapshot writes, keyed like INGEST_WRITES, plus figures for metadata."""

    tables: dict[str, bulk.TableRows | bulk.StagedRows | TickTunings]
    update_timestamp: datetime
    raw_bytes: int
    compressed_bytes: int
    pilots_online: int
    controllers_online: int
    rejected: dict[str, int]
    transceivers_missing: str | None = None
    transceivers_skipped: dict[str, int] = field(default_factory=dict)


NOT_FETCHED = "no transceivers were fetched with this snapshot"


def stored_state(conn: sa.Connection, update_timestamp: datetime) -> StoredState:
    """Is this snapshot stored already, and which is the newest stored: one round trip."""
    row = conn.execute(sa.text(query("snapshot_state")), {"ts": update_timestamp}).one()
    return StoredState(bool(row.already_stored), row.latest)


def ensure_tick_partitions(engine: sa.Engine, day: date) -> list[str]:
    """The maintenance asset creates partitions ahead; this is the logged fallback when one is missing."""
    with engine.connect() as conn:
        missing = missing_partitions(conn, [day], TICK_PARTITIONED_TABLES)
    if not missing:
        return []
    log.warning("day partitions missing for %s (%s); creating them now, which briefly locks the parent tables",
                day, ", ".join(t for t, _ in missing))
    with engine.begin() as conn:
        return ensure_partitions(conn, day, day, [t for t, _ in missing])


# One worker thread for the process: a tick compresses one body, beside its parsing.
_COMPRESSOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vatstats-compress")


def parse_and_compress(body: bytes, *, store_names: bool) -> tuple[Snapshot, Future[bytes]]:
    """Parse the body while another thread compresses it for feed_snapshots.

    zstd releases the GIL, so with a second core free the compression (about 8 ms of a
    4,000-pilot tick when done in line) costs no wall time. The compressed body is a Future that
    prepare_tick waits for only once the tick's rows are built. A body that is not a snapshot
    raises FeedFormatError, as parse_snapshot does.
    """
    compressed = _COMPRESSOR.submit(compress_raw, body, store_names=store_names)
    with collector_paused():
        return parse_snapshot(body), compressed


def prepare_tick(
    snapshot: Snapshot, body: bytes, *, source: str, fetched_at: datetime, region: Region, store_names: bool,
    compressed: bytes | Future[bytes] | None = None, transceivers: TransceiversFeed | None = None,
    encoding: str = ENCODING,
) -> PreparedTick:
    """Everything one snapshot writes, without touching the database.

    `compressed` is the body from parse_and_compress (waited for after the rows are built);
    without it the body is compressed here. `encoding` is how `compressed` and `transceivers.stored`
    are compressed when given: another than ENCODING (a replayed gzip archive's own bytes) needs
    both, as only ENCODING is made here. The track positions are StagedRows: PostgreSQL takes
    them from the flights rows (FLIGHT_POSITIONS' append query) and keeps those that moved.
    `transceivers` is what was fetched beside the snapshot (None: nothing was).
    """
    transceivers = transceivers or TransceiversFeed.not_received(NOT_FETCHED)
    if encoding != ENCODING and (not isinstance(compressed, bytes)
                                 or (transceivers.body is not None and transceivers.stored is None)):
        raise ValueError(f"a snapshot stored as {encoding} needs both its bodies given as {encoding}")
    # The transceivers body holds no names: it is compressed as it came, beside the parsing (unless
    # it comes compressed already: the rebuild's stored body, a replayed gzip file).
    compressed_transceivers: Future[bytes] | None = None
    if transceivers.body is not None and transceivers.stored is None:
        compressed_transceivers = _COMPRESSOR.submit(compress_raw, transceivers.body, store_names=True)
    with collector_paused():
        rows = tick_rows(snapshot, region, store_names=store_names, may_contain_nul=body_may_contain_nul(body))
        tunings, missing = _tunings(transceivers, rows)
    if compressed is None:
        compressed = compress_raw(body, store_names=store_names)
    elif isinstance(compressed, Future):
        compressed = compressed.result()
    rejected = dict(rows.rejected)
    for reason, count in snapshot.skipped_by_reason().items():
        rejected[reason] = rejected.get(reason, 0) + count
    controllers_online = sum(1 for r in rows.atc_positions if not r.is_atis)
    raw = {
        "update_timestamp": snapshot.update_timestamp, "fetched_at": fetched_at, "source": source,
        "body": compressed, "body_encoding": encoding, "raw_bytes": len(body), "compressed_bytes": len(compressed),
        "pilots": len(snapshot.pilots), "controllers": len(snapshot.controllers), "atis": len(snapshot.atis),
        "prefiles": len(snapshot.prefiles), "pilots_stored": len(rows.flights),
        "controllers_stored": controllers_online, "skipped_records": sum(rejected.values()),
        "duplicates_dropped": snapshot.duplicates_dropped, "region": region.name,
        "transceivers_body": None, "transceivers_raw_bytes": None, "transceivers_entries": None,
        "transceivers_skipped": None, "transceivers_missing": missing,
    }
    if transceivers.body is not None:
        stored = transceivers.stored if compressed_transceivers is None else compressed_transceivers.result()
        if missing is None:
            raw.update(transceivers_body=stored, transceivers_raw_bytes=len(transceivers.body),
                       transceivers_entries=tunings.entries, transceivers_skipped=sum(tunings.skipped.values()))
    tables: dict[str, bulk.TableRows | bulk.StagedRows | TickTunings] = {
        "raw_feed_snapshot": bulk.TableRows(FEED_SNAPSHOTS.columns, [tuple(raw[c] for c in FEED_SNAPSHOTS.columns)]),
        "atc_positions": bulk.TableRows(ATC_POSITIONS.columns, rows.atc_positions),
        "flights": bulk.TableRows(FLIGHTS.columns, rows.flights),
        "flight_positions": bulk.StagedRows(FLIGHTS.name, len(rows.flights)),
        "transceiver_tunings": tunings,
    }
    return PreparedTick(
        tables=tables, update_timestamp=snapshot.update_timestamp, raw_bytes=len(body),
        compressed_bytes=len(compressed), pilots_online=len(rows.flights),
        controllers_online=controllers_online, rejected=rejected, transceivers_missing=missing,
        transceivers_skipped={**tunings.skipped, **tunings.transceivers_skipped},
    )


def _tunings(transceivers: TransceiversFeed, rows: TickRows) -> tuple[TickTunings, str | None]:
    """The tick's tunings and why its transceivers are missing (None when they are not)."""
    none = TickTunings(rows.observed_at, [], 0)
    if transceivers.body is None:
        return none, transceivers.missing or NOT_FETCHED
    try:
        parsed = parse_transceivers(transceivers.body)
    except TransceiversFormatError as error:
        return none, f"the transceivers feed was unusable: {error}"
    tunings = tick_tunings(
        parsed, rows.observed_at,
        pilots=[f.callsign for f in rows.flights],
        controllers=[a.callsign for a in rows.atc_positions if not a.is_atis],
        atis_callsigns=[a.callsign for a in rows.atc_positions if a.is_atis],
    )
    return tunings, None


def write_tick(engine: sa.Engine, tick: PreparedTick) -> dict[str, bulk.WriteCounts]:
    """Write all of a tick's rows in one transaction (the path replay and benchmarks take)."""
    with engine.begin() as conn:
        return write_tick_rows(conn, tick)


def write_tick_rows(conn: sa.Connection, tick: PreparedTick) -> dict[str, bulk.WriteCounts]:
    """Write a tick's rows in the caller's transaction, which must hold no other tick (the stages
    are emptied at commit): the rebuild commits its progress with each tick (storage/rebuild.py)."""
    return {
        asset_name: WRITERS[mode](conn, spec, tick.tables[asset_name])
        for asset_name, (mode, spec) in INGEST_WRITES.items()
    }
