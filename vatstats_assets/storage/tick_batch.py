"""Write many consecutive snapshots in one transaction, leaving exactly what writing them one at a
time (storage/ingest.py write_tick) leaves: the path `vatstats replay` takes through an archive.

One at a time, each snapshot upserts every flight and ATC position it holds, judges every
position against the stored flight, and merges its tunings into the runs: about 100 ms of
statements a 1,500-pilot snapshot, nearly all of it for rows the next snapshot rewrites. Here a
batch sends each connection's last row once, every position once into a stage where one statement
judges which moved (and gives the flights rows their first_seen, max_altitude_ft and moved_at), and
the runs the batch makes (core/tick_batch.py). vatstats_tests/storage/test_tick_batch.py checks
the tables against one-at-a-time writing.

A snapshot travels as a BatchTick, built where the file was parsed (a replay worker process):
COPY text and plain rows, cheap to send between processes (pickling a PreparedTick's 1,500
FlightRows and their datetimes cost 24 ms a snapshot, more than writing it).

The batch must be newer than every stored snapshot, in time order, each snapshot once, and inside
one day (its partitions made): `write_batch` checks the first and returns False, writing nothing,
when it does not hold (the caller writes those one at a time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

import sqlalchemy as sa

from vatstats_assets.core.snapshot_rows import PARKED_ALTITUDE_JITTER_FT, AtcRow, FlightRow
from vatstats_assets.core.tick_batch import TuningTick, keyed_tunings, last_atc_positions, tuning_runs
from vatstats_assets.core.tuning_runs import TickTunings
from vatstats_assets.storage import bulk
from vatstats_assets.storage.copy_format import copy_text
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
_TRANSCEIVERS_ENTRIES = FEED_SNAPSHOTS.columns.index("transceivers_entries")
# The flights columns that make a track row, in FLIGHT_POSITIONS' order (observed_at is last_seen).
_POSITION_FIELDS = itemgetter(*(FLIGHTS.columns.index("last_seen" if c == "observed_at" else c)
                                for c in FLIGHT_POSITIONS.columns))
_RUN_COLUMNS = ("run", "cid", "callsign", "logon_time", "is_pilot", "frequency_hz", "channel_hz", "first_seen",
                "last_seen", "site_latitudes", "site_longitudes", "continues_from")


@dataclass(frozen=True)
class BatchTick:
    """One snapshot as write_batch takes it."""

    update_timestamp: datetime
    snapshot_row: tuple  # feed_snapshots, in FEED_SNAPSHOTS.columns order
    atc_positions: list[AtcRow]
    flight_lines: dict[str, str]  # connection (its row's first three COPY fields) -> its flights row, COPY text
    positions_text: str  # every flight's position, COPY text for stage_batch_positions
    tunings: TuningTick


def batch_tick(tick: PreparedTick) -> BatchTick:
    flights: Sequence[FlightRow] = _rows(tick, "flights")  # type: ignore[assignment]
    atc: Sequence[AtcRow] = _rows(tick, "atc_positions")  # type: ignore[assignment]
    snapshot_row = _rows(tick, "raw_feed_snapshot")[0]
    tunings = tick.tables["transceiver_tunings"]
    assert isinstance(tunings, TickTunings)
    keyed = keyed_tunings(
        tunings.rows, {row.callsign: (row.cid, row.logon_time) for row in flights},
        {row.callsign: (row.cid, row.logon_time) for row in atc if not row.is_atis},
    ) if tunings.rows else []
    lines = copy_text(flights).split("\n")[:-1]  # a line a row: COPY text escapes a newline in a value
    # A position is fields of its flights row: cut from the line, not formatted a second time.
    positions = ["\t".join(_POSITION_FIELDS(line.split("\t"))) for line in lines]
    return BatchTick(
        update_timestamp=tick.update_timestamp,
        snapshot_row=tuple(snapshot_row),
        atc_positions=list(atc),
        flight_lines={line[:_third_tab(line)]: line for line in lines},
        positions_text="\n".join(positions) + "\n" if positions else "",
        tunings=TuningTick(tick.update_timestamp, snapshot_row[_TRANSCEIVERS_ENTRIES] is not None, keyed),
    )


def _third_tab(line: str) -> int:
    return line.find("\t", line.find("\t", line.find("\t") + 1) + 1)


def _rows(tick: PreparedTick, table: str) -> Sequence[tuple]:
    rows = tick.tables[table]
    assert isinstance(rows, bulk.TableRows)
    return rows.rows


def write_batch(conn: sa.Connection, ticks: Sequence[BatchTick]) -> bool:
    """Write `ticks` (in time order) in the caller's transaction; False, with nothing written, when
    a stored snapshot is as new as the first of them."""
    if not ticks:
        return True
    stored = conn.execute(sa.text(query("batch_newest_stored"))).one()
    if stored.latest is not None and stored.latest >= ticks[0].update_timestamp:
        return False
    _check_order(ticks)
    conn.exec_driver_sql(query("batch_stages"))
    # The stages have no statistics (temporary, filled a moment ago): without this the planner
    # nests loops over tens of thousands of staged positions (360 ms a batch, against 40 ms).
    conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
    bulk.append(conn, FEED_SNAPSHOTS, bulk.TableRows(FEED_SNAPSHOTS.columns, [tick.snapshot_row for tick in ticks]))
    bulk.upsert(conn, ATC_POSITIONS, bulk.TableRows(
        ATC_POSITIONS.columns, last_atc_positions(tick.atc_positions for tick in ticks)))
    _write_flights_and_track(conn, ticks)
    _write_runs(conn, ticks, stored.latest, stored.latest_transceivers)
    return True


def _check_order(ticks: Sequence[BatchTick]) -> None:
    times = [tick.update_timestamp for tick in ticks]
    if any(later <= earlier for earlier, later in zip(times, times[1:], strict=False)):
        raise ValueError("a batch of snapshots must be in time order, each snapshot once")
    if times[0].date() != times[-1].date():
        raise ValueError("a batch of snapshots must lie inside one UTC day")


def _write_flights_and_track(conn: sa.Connection, ticks: Sequence[BatchTick]) -> None:
    bulk.copy_text_lines(conn, "stage_batch_positions", FLIGHT_POSITIONS.columns,
                         "".join(tick.positions_text for tick in ticks))
    conn.execute(sa.text(query("batch_judge_positions")), {"parked_altitude_jitter_ft": PARKED_ALTITUDE_JITTER_FT})
    last: dict[str, str] = {}
    for tick in ticks:
        last.update(tick.flight_lines)
    if not last:
        return
    stage = bulk.stage_table(conn, FLIGHTS)
    bulk.copy_text_lines(conn, stage, FLIGHTS.columns, "\n".join(last.values()) + "\n")
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
