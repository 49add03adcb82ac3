"""Write many consecutive snapshots in one transaction, leaving exactly what writing them one at a
time (storage/ingest.py write_tick) leaves: the path `vatstats replay` takes through an archive.

One at a time, each snapshot upserts every flight and ATC position it holds, judges every
position against the stored flight, and merges its tunings into the runs: about 100 ms of
statements a 1,500-pilot snapshot, nearly all of it for rows the next snapshot rewrites. Here a
batch sends each connection's last row once, every position once into a stage where one statement
judges which moved (and gives the flights rows their first_seen, max_altitude_ft and moved_at), and
the runs the batch makes (core/tick_batch.py). vatstats_tests/storage/test_tick_batch.py checks
the tables against one-at-a-time writing.

A batch travels as a TickBatch, built where its files were parsed (a replay worker process
prepares a whole batch): COPY text and plain rows, cheap to send between processes (pickling a
PreparedTick's 1,500 FlightRows and their datetimes cost 24 ms a snapshot, more than writing it).

The batch must be newer than every stored snapshot, in time order, each snapshot once, and inside
one day (its partitions made; `in_order` tells): `write_batch` checks the first and returns False,
writing nothing, when it does not hold (the caller writes those one at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from operator import itemgetter

import sqlalchemy as sa

from vatstats_assets.core.snapshot_rows import PARKED_ALTITUDE_JITTER_FT, AtcRow, FlightRow
from vatstats_assets.core.tick_batch import TuningTick, keyed_tunings, last_atc_positions, tuning_runs
from vatstats_assets.core.tuning_runs import TickTunings
from vatstats_assets.storage import bulk
from vatstats_assets.storage.copy_format import column_fields, copy_text
from vatstats_assets.storage.ingest import PreparedTick
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import ATC_POSITIONS, FEED_SNAPSHOTS, FLIGHT_POSITIONS, FLIGHTS, TableSpec
from vatstats_assets.storage.tunings import array_literal

# The flights merge with moved_at as the batch works it out (batch_flights_from_positions.sql): the
# batch's last move, or the stored one when the batch has -infinity (no move: it stood still).
BATCH_FLIGHTS = TableSpec(
    name=FLIGHTS.name, columns=FLIGHTS.columns, key=FLIGHTS.key,
    merge={**FLIGHTS.merge, "moved_at": "GREATEST(t.moved_at, EXCLUDED.moved_at)"},
    window_column=FLIGHTS.window_column,
)
_CONNECTION = itemgetter(0, 1, 2)  # a flights row's key: cid, callsign, logon_time
_TRANSCEIVERS_ENTRIES = FEED_SNAPSHOTS.columns.index("transceivers_entries")
# The flights columns that make a track row, in FLIGHT_POSITIONS' order (observed_at is last_seen).
_POSITION_COLUMNS = itemgetter(*(FLIGHTS.columns.index("last_seen" if c == "observed_at" else c)
                                 for c in FLIGHT_POSITIONS.columns))
# The clause batch_judge_positions.sql appends track rows with when some may be stored already.
_ON_CONFLICT = "\n    ON CONFLICT DO NOTHING\n"
_BATCH_WORK_MEM = "64MB"
_RUN_COLUMNS = ("run", "cid", "callsign", "logon_time", "is_pilot", "frequency_hz", "channel_hz", "first_seen",
                "last_seen", "site_latitudes", "site_longitudes", "continues_from")


@dataclass(frozen=True)
class BatchTick:
    """One snapshot of a batch: what write_batch takes of it besides its flights rows."""

    update_timestamp: datetime
    snapshot_row: tuple  # feed_snapshots, in FEED_SNAPSHOTS.columns order
    atc_positions: list[tuple]  # AtcRow's fields, plain (core/tick_batch.py says why)
    positions_text: str  # every flight's position, COPY text for stage_batch_positions
    tunings: TuningTick


@dataclass(frozen=True)
class TickBatch:
    """Consecutive snapshots as write_batch takes them. Of the flights rows only each connection's
    last is written: only it is formatted (a 1,500-pilot snapshot's rows take 12 ms to format,
    nearly all of them for rows the next snapshot replaces)."""

    ticks: list[BatchTick]
    flights_text: str  # each connection's last flights row in the batch, COPY text


def tick_batch(prepared: Iterable[PreparedTick]) -> TickBatch:
    ticks = []
    last: dict[tuple, FlightRow] = {}
    for tick in prepared:
        flights: Sequence[FlightRow] = _rows(tick, "flights")  # type: ignore[assignment]
        ticks.append(_batch_tick(tick, flights))
        last.update(zip(map(_CONNECTION, flights), flights, strict=True))
    return TickBatch(ticks, copy_text(list(last.values())))


def _batch_tick(tick: PreparedTick, flights: Sequence[FlightRow]) -> BatchTick:
    atc: Sequence[AtcRow] = _rows(tick, "atc_positions")  # type: ignore[assignment]
    snapshot_row = _rows(tick, "raw_feed_snapshot")[0]
    tunings = tick.tables["transceiver_tunings"]
    assert isinstance(tunings, TickTunings)
    keyed = keyed_tunings(
        tunings.rows, {row.callsign: (row.cid, row.logon_time) for row in flights},
        {row.callsign: (row.cid, row.logon_time) for row in atc if not row.is_atis},
    ) if tunings.rows else []
    return BatchTick(
        update_timestamp=tick.update_timestamp,
        snapshot_row=tuple(snapshot_row),
        atc_positions=list(map(tuple, atc)),
        positions_text=_positions_text(flights),
        tunings=TuningTick(tick.update_timestamp, snapshot_row[_TRANSCEIVERS_ENTRIES] is not None, keyed),
    )


def _positions_text(flights: Sequence[FlightRow]) -> str:
    """The track rows of a snapshot's flights, COPY text: the position columns of their rows."""
    if not flights:
        return ""
    columns = _POSITION_COLUMNS(list(zip(*flights, strict=True)))
    return "\n".join(map("\t".join, zip(*map(column_fields, columns), strict=True))) + "\n"


def _rows(tick: PreparedTick, table: str) -> Sequence[tuple]:
    rows = tick.tables[table]
    assert isinstance(rows, bulk.TableRows)
    return rows.rows


def write_batch(conn: sa.Connection, batch: TickBatch) -> bool:
    """Write the batch's snapshots (in time order) in the caller's transaction; False, with nothing
    written, when a stored snapshot is as new as the first of them."""
    ticks = batch.ticks
    if not ticks:
        return True
    stored = _newest_stored(conn, ticks[0].update_timestamp)
    if stored.latest is not None and stored.latest >= ticks[0].update_timestamp:
        return False
    _refuse_unless_in_order(ticks)
    _prepare_stages(conn)
    bulk.append(conn, FEED_SNAPSHOTS, bulk.TableRows(FEED_SNAPSHOTS.columns, [tick.snapshot_row for tick in ticks]))
    _write_tables(conn, batch, stored.latest_position, stored.latest, stored.latest_transceivers)
    return True


def rewrite_batch(conn: sa.Connection, batch: TickBatch) -> None:
    """Write again snapshots feed_snapshots holds already (the rebuild from the raw snapshots,
    storage/rebuild.py), in the caller's transaction, leaving what rewriting them one at a time
    with write_tick_rows leaves. Their feed_snapshots rows are upserted; the tuning runs continue
    from the snapshots stored before the first (as write_runs reads them a tick at a time). The
    caller sees to it that the other tables hold nothing newer than the batch's first snapshot."""
    ticks = batch.ticks
    if not ticks:
        return
    first = ticks[0].update_timestamp
    _refuse_unless_in_order(ticks)
    latest_position = _newest_stored(conn, first).latest_position
    before = conn.execute(sa.text(query("tuning_run_state")), {"ts": first}).one()
    _prepare_stages(conn)
    bulk.upsert(conn, FEED_SNAPSHOTS, bulk.TableRows(FEED_SNAPSHOTS.columns, [tick.snapshot_row for tick in ticks]))
    _write_tables(conn, batch, latest_position, before.previous_snapshot, before.previous_transceivers)


def _newest_stored(conn: sa.Connection, first: datetime) -> sa.Row:
    day_start = datetime.combine(first.astimezone(UTC).date(), time(), UTC)
    return conn.execute(sa.text(query("batch_newest_stored")),
                        {"day_start": day_start, "day_end": day_start + timedelta(days=1)}).one()


def _refuse_unless_in_order(ticks: Sequence[BatchTick]) -> None:
    if not in_order(ticks):
        raise ValueError("a batch of snapshots must be in time order, each snapshot once, inside one UTC day")


def _prepare_stages(conn: sa.Connection) -> None:
    conn.exec_driver_sql(query("batch_stages"))
    # The stages have no statistics (temporary, filled a moment ago): without this the planner
    # nests loops over tens of thousands of staged positions (360 ms a batch, against 40 ms).
    conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
    # A batch's 60,000 staged positions are sorted for the judging window (batch_judge_positions.sql):
    # within the default 4 MB of work_mem the sort and the judged rows spill to disk.
    conn.exec_driver_sql(f"SET LOCAL work_mem = '{_BATCH_WORK_MEM}'")


def _write_tables(conn: sa.Connection, batch: TickBatch, latest_position: datetime | None,
                  previous_snapshot: datetime | None, previous_transceivers: datetime | None) -> None:
    """Everything but feed_snapshots, given the newest track row of the batch's day and the two
    snapshots stored before the batch that tuning_run_state.sql names."""
    ticks = batch.ticks
    bulk.upsert(conn, ATC_POSITIONS, bulk.TableRows(
        ATC_POSITIONS.columns, last_atc_positions(tick.atc_positions for tick in ticks)))
    _write_flights_and_track(conn, batch, may_conflict=latest_position is not None
                             and latest_position >= ticks[0].update_timestamp)
    _write_runs(conn, ticks, previous_snapshot, previous_transceivers)


def in_order(ticks: Sequence[BatchTick]) -> bool:
    """Whether `ticks` are in time order, each snapshot once, inside one UTC day: a batch's shape."""
    times = [tick.update_timestamp for tick in ticks]
    return all(earlier < later for earlier, later in zip(times, times[1:], strict=False)) and (
        not times or times[0].date() == times[-1].date())


def _write_flights_and_track(conn: sa.Connection, batch: TickBatch, *, may_conflict: bool) -> None:
    bulk.copy_text_lines(conn, "stage_batch_positions", FLIGHT_POSITIONS.columns,
                         "".join(tick.positions_text for tick in batch.ticks))
    judge = query("batch_judge_positions")
    if not may_conflict:
        judge = judge.replace(_ON_CONFLICT, "", 1)
    conn.execute(sa.text(judge), {"parked_altitude_jitter_ft": PARKED_ALTITUDE_JITTER_FT})
    if not batch.flights_text:
        return
    stage = bulk.stage_table(conn, FLIGHTS)
    bulk.copy_text_lines(conn, stage, FLIGHTS.columns, batch.flights_text)
    conn.exec_driver_sql(query("batch_flights_from_positions"))
    conn.exec_driver_sql(bulk.upsert_sql(BATCH_FLIGHTS, stage))


def _write_runs(conn: sa.Connection, ticks: Sequence[BatchTick], latest: datetime | None,
                latest_transceivers: datetime | None) -> None:
    runs = tuning_runs([tick.tunings for tick in ticks], latest, latest_transceivers)
    if runs:
        bulk.copy_rows(conn, "stage_batch_runs", _RUN_COLUMNS, [
            (index, *run[:8], array_literal(run.site_latitudes), array_literal(run.site_longitudes),
             run.continues_from)
            for index, run in enumerate(runs)
        ])
        conn.exec_driver_sql(query("batch_write_runs"))
