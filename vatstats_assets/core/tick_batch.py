"""Consecutive snapshots merged into what writing them one at a time would leave behind (pure: no I/O).

Replay writes an archive in batches of snapshots (storage/tick_batch.py): a connection seen in every
snapshot of a batch is upserted once, not once per snapshot. What one-at-a-time writing leaves is
known row by row from the merge rules of storage/tables.py, applied in time order:
- atc_positions: every column from the connection's last row, except first_seen (the earliest);
- flights: the same, with max_altitude_ft the highest and moved_at the last position that moved
  (both worked out in PostgreSQL from the batch's positions, sql/queries/batch_*.sql);
- transceiver_tunings: the same runs write_runs builds tick by tick (storage/tunings.py), followed
  across the batch here; a run the batch's first ticks may continue from a stored one carries
  `continues_from`, the stored last_seen it extends.
Only valid for snapshots newer than everything stored, each once, in time order: the writer checks.

A batch's rows are built in a replay worker process and cross to the writer pickled, so the ATC
and tuning rows travel as plain tuples in their NamedTuple's field order (AtcRow, KeyedTuning):
a NamedTuple pickles and unpickles through two Python calls a row, which cost 13 % of a replay's
CPU (py-spy, 52,000 rows a batch); a plain tuple pickles in C.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from vatstats_assets.core.snapshot_rows import AtcRow
from vatstats_assets.core.tuning_runs import TuningRow, extendable_run_end

_FIRST_SEEN = AtcRow._fields.index("first_seen")


def last_atc_positions(ticks: Iterable[Sequence[tuple]]) -> list[tuple]:
    """Each ATC connection's last row (AtcRow's fields), with the batch's earliest first_seen."""
    first: dict[tuple, datetime] = {}
    last: dict[tuple, tuple] = {}
    for rows in ticks:
        for row in rows:
            key = row[:3]
            first.setdefault(key, row[_FIRST_SEEN])
            last[key] = row
    return [row if row[_FIRST_SEEN] == first[key] else (*row[:_FIRST_SEEN], first[key], *row[_FIRST_SEEN + 1:])
            for key, row in last.items()]


class KeyedTuning(NamedTuple):
    """A TuningRow with its connection's key (the writer one at a time takes it from the stages):
    the layout of keyed_tunings' plain tuples."""

    cid: int
    callsign: str
    logon_time: datetime
    is_pilot: bool
    frequency_hz: int
    channel_hz: int
    site_latitudes: tuple[float, ...] | None
    site_longitudes: tuple[float, ...] | None


def keyed_tunings(
    rows: Iterable[TuningRow], pilots: dict[str, tuple[int, datetime]], controllers: dict[str, tuple[int, datetime]],
) -> list[tuple]:
    """The rows as plain tuples of KeyedTuning's fields. `pilots` and `controllers` map a callsign
    to (cid, logon_time) among the snapshot's stored flights and its controllers (no ATIS):
    tick_tunings made rows for those callsigns only."""
    keyed = []
    for row in rows:
        callsign, is_pilot = row[0], row[1]
        cid, logon_time = (pilots if is_pilot else controllers)[callsign]
        keyed.append((cid, callsign, logon_time, *row[1:]))  # TuningRow's fields after callsign follow
    return keyed


# A run's identity: connection, frequency and sites (KeyedTuning's fields).
_RUN_KEY = itemgetter(*map(KeyedTuning._fields.index, (
    "cid", "callsign", "logon_time", "frequency_hz", "site_latitudes", "site_longitudes")))
_SITES = KeyedTuning._fields.index("site_latitudes")


class TuningRun(NamedTuple):
    """A run of transceiver_tunings as the batch leaves it; `continues_from` is set on a run that
    extends a stored run last seen then, if one matches (the writer decides, in PostgreSQL)."""

    cid: int
    callsign: str
    logon_time: datetime
    is_pilot: bool
    frequency_hz: int
    channel_hz: int
    first_seen: datetime
    last_seen: datetime
    site_latitudes: tuple[float, ...] | None
    site_longitudes: tuple[float, ...] | None
    continues_from: datetime | None


@dataclass(frozen=True)
class TuningTick:
    """What the runs need of one snapshot of the batch."""

    observed_at: datetime
    has_transceivers: bool  # stored with its transceivers (feed_snapshots.transceivers_entries set)
    rows: Sequence[tuple]  # KeyedTuning's fields (keyed_tunings)


def tuning_runs(
    ticks: Sequence[TuningTick], previous_snapshot: datetime | None, previous_transceivers: datetime | None,
) -> list[TuningRun]:
    """The runs the batch's tunings make, from the newest stored snapshot before it and the newest
    stored with transceivers (as write_runs reads them for each tick)."""
    if not ticks:
        return []
    batch_start = ticks[0].observed_at
    runs: list[list] = []  # TuningRun fields, mutable while the batch goes on
    latest: dict[tuple, int] = {}  # (connection, frequency, sites) -> index of its newest run
    for tick in ticks:
        at = tick.observed_at
        extend_from = extendable_run_end(at, previous_snapshot, previous_transceivers)
        # Only the batch's first tick with transceivers can continue a stored run: later ones
        # continue from inside the batch.
        stored = extend_from if extend_from is not None and extend_from < batch_start else None
        for row in tick.rows:
            key = _RUN_KEY(row)
            index = latest.get(key)
            if index is not None and extend_from is not None and runs[index][7] == extend_from:
                runs[index][7] = at
                continue
            latest[key] = len(runs)
            runs.append([*row[:_SITES], at, at, *row[_SITES:], stored])
        previous_snapshot = at
        if tick.has_transceivers:
            previous_transceivers = at
    return [TuningRun._make(run) for run in runs]
