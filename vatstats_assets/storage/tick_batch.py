"""Write many consecutive snapshots in one transaction, leaving exactly what writing them one at a
time (storage/ingest.py write_tick) leaves: the path `vatstats replay` takes through an archive.

One at a time, each snapshot upserts every flight and ATC position it holds, judges every
position against the stored flight, and merges its tunings into the runs: about 100 ms of
statements a 1,500-pilot snapshot, nearly all of it for rows the next snapshot rewrites. Here a
batch sends each connection's last row once (core/tick_batch.py says which values it carries),
every position once into a stage where one statement judges which moved, and the runs the batch
makes. vatstats_tests/storage/test_tick_batch.py checks the tables against one-at-a-time writing.

The batch must be newer than every stored snapshot, in time order, each snapshot once, and inside
one day (its partitions made): `write_batch` checks the first and returns False, writing nothing,
when it does not hold (the caller writes those one at a time).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from vatstats_assets.core.snapshot_rows import PARKED_ALTITUDE_JITTER_FT, position_of
from vatstats_assets.core.tick_batch import TuningTick, last_atc_positions, last_flights, tuning_runs
from vatstats_assets.storage import bulk
from vatstats_assets.storage.ingest import PreparedTick
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import ATC_POSITIONS, FEED_SNAPSHOTS, FLIGHT_POSITIONS, FLIGHTS, TableSpec
from vatstats_assets.storage.tunings import array_literal

# The flights merge with moved_at as the batch works it out (batch_flights_moved_at.sql): the
# staged last move, or the stored one when the staged value is still MOVED_AT_FLOOR (no move in the
# batch; the batch is newer than anything stored, so a move in it is always the greater).
BATCH_FLIGHTS = TableSpec(
    name=FLIGHTS.name, columns=FLIGHTS.columns, key=FLIGHTS.key,
    merge={**FLIGHTS.merge, "moved_at": "GREATEST(t.moved_at, EXCLUDED.moved_at)"},
    window_column=FLIGHTS.window_column,
)
MOVED_AT_FLOOR = datetime(1, 1, 1, tzinfo=UTC)
_TRANSCEIVERS_ENTRIES = FEED_SNAPSHOTS.columns.index("transceivers_entries")
_POSITION_COLUMNS = FLIGHT_POSITIONS.columns


def write_batch(conn: sa.Connection, ticks: Sequence[PreparedTick]) -> bool:
    """Write `ticks` (in time order) in the caller's transaction; False, with nothing written, when
    a stored snapshot is as new as the first of them."""
    if not ticks:
        return True
    stored = conn.execute(sa.text(query("batch_newest_stored"))).one()
    if stored.latest is not None and stored.latest >= ticks[0].update_timestamp:
        return False
    _check_order(ticks)
    conn.exec_driver_sql(query("batch_stages"))
    bulk.append(conn, FEED_SNAPSHOTS, bulk.TableRows(
        FEED_SNAPSHOTS.columns, [row for tick in ticks for row in _rows(tick, "raw_feed_snapshot")]))
    bulk.upsert(conn, ATC_POSITIONS, bulk.TableRows(
        ATC_POSITIONS.columns, last_atc_positions(_rows(tick, "atc_positions") for tick in ticks)))
    _write_flights_and_track(conn, ticks)
    _write_runs(conn, ticks, stored.latest, stored.latest_transceivers)
    return True


def _rows(tick: PreparedTick, table: str) -> Sequence[tuple]:
    rows = tick.tables[table]
    assert isinstance(rows, bulk.TableRows)
    return rows.rows


def _check_order(ticks: Sequence[PreparedTick]) -> None:
    times = [tick.update_timestamp for tick in ticks]
    if any(later <= earlier for earlier, later in zip(times, times[1:], strict=False)):
        raise ValueError("a batch of snapshots must be in time order, each snapshot once")
    if times[0].date() != times[-1].date():
        raise ValueError("a batch of snapshots must lie inside one UTC day")


def _write_flights_and_track(conn: sa.Connection, ticks: Sequence[PreparedTick]) -> None:
    flights = [_rows(tick, "flights") for tick in ticks]
    bulk.copy_rows(conn, "stage_batch_positions", _POSITION_COLUMNS,
                   [position_of(row) for rows in flights for row in rows])  # type: ignore[arg-type]
    conn.execute(sa.text(query("batch_judge_positions")), {"parked_altitude_jitter_ft": PARKED_ALTITUDE_JITTER_FT})
    conn.exec_driver_sql(query("batch_append_positions"))
    stage = bulk.stage_table(conn, FLIGHTS)
    bulk.copy_rows(conn, stage, FLIGHTS.columns,
                   [row._replace(moved_at=MOVED_AT_FLOOR) for row in last_flights(flights)])  # type: ignore[arg-type]
    conn.exec_driver_sql(query("batch_flights_moved_at"))
    conn.exec_driver_sql(bulk.upsert_sql(BATCH_FLIGHTS, stage))


def _write_runs(conn: sa.Connection, ticks: Sequence[PreparedTick], latest, latest_transceivers) -> None:
    tuning_ticks = []
    for tick in ticks:
        tunings = tick.tables["transceiver_tunings"]
        flights, atc = _rows(tick, "flights"), _rows(tick, "atc_positions")
        tuning_ticks.append(TuningTick(
            observed_at=tick.update_timestamp,
            has_transceivers=_rows(tick, "raw_feed_snapshot")[0][_TRANSCEIVERS_ENTRIES] is not None,
            rows=tunings.rows,  # type: ignore[union-attr]
            pilots={row[1]: (row[0], row[2]) for row in flights},
            controllers={row[0]: (row[1], row[2]) for row in atc if not row.is_atis},
        ))
    runs = tuning_runs(tuning_ticks, latest, latest_transceivers)
    if not runs:
        return
    staged = [
        (index, *run[:8], array_literal(run.site_latitudes), array_literal(run.site_longitudes), run.continues_from)
        for index, run in enumerate(runs)
    ]
    bulk.copy_rows(conn, "stage_batch_runs", (
        "run", "cid", "callsign", "logon_time", "is_pilot", "frequency_hz", "channel_hz", "first_seen",
        "last_seen", "site_latitudes", "site_longitudes", "continues_from"), staged)
    conn.exec_driver_sql(query("batch_write_runs"))
