"""Write a tick's tunings as runs: extend the runs it continues, start the others.

In the tick's transaction, after its feed_snapshots, flights and atc_positions rows (the flights
and ATC stages give each tuning its connection's key; the snapshot row is what the next tick's
decision reads): one round trip for the snapshots before it, a COPY of the tick's tunings into a
session stage, one INSERT .. SELECT giving them their connections' keys, one UPDATE extending the
open runs (last_seen) and one INSERT of the new runs. (One statement doing the UPDATE and the
INSERT through CTEs was a third slower: 98 against 67 ms, same state, taking turns.) A tick without
transceivers writes nothing here: its runs are neither extended nor cut, and the next tick with
transceivers decides (core/tuning_runs.py extendable_run_end).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from vatstats_assets.core.tuning_runs import TickTunings, TuningRow, extendable_run_end
from vatstats_assets.storage.bulk import WriteCounts, copy_rows, stage_table
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import ATC_POSITIONS, FLIGHTS, TRANSCEIVER_TUNINGS, TableSpec

_STAGE = "stage_transceiver_tunings"
_STAGE_COLUMNS = TuningRow._fields


def array_literal(values: tuple[float, ...] | None) -> str | None:
    # COPY text reads a PostgreSQL array literal; repr keeps every digit of the float.
    return None if values is None else "{" + ",".join(map(repr, values)) + "}"


def _stage_rows(rows: Sequence[TuningRow]) -> list[tuple]:
    # TuningRow is the stage's columns in order: a pilot's row (no sites) goes as it is.
    return [
        row if row.site_latitudes is None
        else (*row[:4], array_literal(row.site_latitudes), array_literal(row.site_longitudes))
        for row in rows
    ]


def write_runs(conn: sa.Connection, spec: TableSpec, tunings: TickTunings) -> WriteCounts:
    """Merge the tick's tunings into the runs of `spec` (transceiver_tunings) in `conn`'s transaction."""
    if spec is not TRANSCEIVER_TUNINGS:
        raise ValueError(f"{spec.qualified} is not written as tuning runs")
    if not tunings.rows:
        return WriteCounts()
    observed_at = tunings.observed_at
    state = conn.execute(sa.text(query("tuning_run_state")), {"ts": observed_at}).one()
    extend_from = extendable_run_end(observed_at, state.previous_snapshot, state.previous_transceivers)
    conn.exec_driver_sql(query("stage_transceiver_tunings"))
    for spec_staged in (FLIGHTS, ATC_POSITIONS):  # empty (a tick without pilots) is still a table
        stage_table(conn, spec_staged)
    copy_rows(conn, _STAGE, _STAGE_COLUMNS, _stage_rows(tunings.rows))
    conn.exec_driver_sql(query("key_staged_tunings"))
    extended = 0
    if extend_from is not None:
        extended = conn.execute(
            sa.text(query("extend_tuning_runs")), {"observed_at": observed_at, "extend_from": extend_from}
        ).rowcount
    started = conn.execute(sa.text(query("start_tuning_runs")), {"observed_at": observed_at}).rowcount
    return WriteCounts(inserted=started, updated=extended, unchanged=len(tunings.rows) - started - extended)
