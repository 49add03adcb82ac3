"""Runs of unchanged tuning: the transceivers feed keyed to a snapshot's connections (pure: no I/O).

A snapshot's transceivers become one TuningRow per connection and frequency: a pilot's radios by
frequency (no sites: the pilot's position is its track's), a controller's by frequency with the
sites of its transceivers on it. A row names its connection by callsign, which is unique among the
pilots, and among the controllers, the snapshot stores: the writer takes the connection's cid and
logon_time from the rows the same tick stages for flights and atc_positions. vatstats.transceiver_tunings stores them as runs: a row seen again
in the next transceivers snapshot extends its run's last_seen instead of adding a row per tick.
Which runs a snapshot may extend is `extendable_run_end`; the matching itself (same connection,
frequency and sites) is done in PostgreSQL (sql/queries/extend_tuning_runs.sql).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import NamedTuple

from vatstats_assets.core.coverage_rules import RUN_GAP_S, channel_hz, is_controllable_channel
from vatstats_assets.core.transceivers import ParsedTransceivers, Transceiver


class TuningRow(NamedTuple):
    """One connection on one frequency at one snapshot (a run of one tick, before merging)."""

    callsign: str  # of a connection the snapshot stores: a pilot's when is_pilot, else a controller's
    is_pilot: bool
    frequency_hz: int
    channel_hz: int
    site_latitudes: tuple[float, ...] | None  # sorted by (latitude, longitude); None for a pilot
    site_longitudes: tuple[float, ...] | None


@dataclass(frozen=True)
class TickTunings:
    """A snapshot's tunings, with the feed_snapshots counts: entries kept and entries skipped."""

    observed_at: datetime
    rows: list[TuningRow]
    entries: int
    skipped: dict[str, int] = field(default_factory=dict)
    transceivers_skipped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)


NOT_CONNECTED = "no stored connection of this snapshot has the callsign"
ATIS = "callsign is an ATIS"


def tick_tunings(
    parsed: ParsedTransceivers, observed_at: datetime, *, pilots: Iterable[str],
    controllers: Iterable[str], atis_callsigns: Iterable[str],
) -> TickTunings:
    """Key the transceivers to the snapshot's stored connections, by callsign.

    `pilots` and `controllers` are the callsigns of the connections the snapshot stores (after the
    region filter, ATIS not counted), so every tuning row names a flights or atc_positions row. An ATIS transmits, nobody talks to
    it: its entry is skipped. A callsign no stored connection has (outside the region, or the two
    feeds a moment apart) is skipped too; both are counted by reason.

    Only radios on a controllable channel become rows: UNICOM, guard and the untuned 199.998 can be
    no contact (core/coverage_rules.py), and about a third of a tick's radios sit on them, each a
    run extended every tick for nothing. The raw body keeps them, should a rule ever need them.
    """
    is_pilot = dict.fromkeys(controllers, False)
    is_pilot.update(dict.fromkeys(pilots, True))  # a callsign in both lists (never seen) is the pilot's
    atis = set(atis_callsigns)
    rows: list[TuningRow] = []
    skipped = dict(parsed.skipped_entries)
    entries = 0
    if len(_channels) >= _CHANNELS_LIMIT:
        _channels.clear()
    channels = _channels
    for callsign, radios in parsed.by_callsign.items():
        pilot = is_pilot.get(callsign)
        if pilot is None:
            reason = ATIS if callsign in atis else NOT_CONNECTED
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        entries += 1
        if pilot:
            # A pilot's radios are one or two: only their distinct frequencies matter.
            for frequency in (radios[0][0],) if len(radios) == 1 else dict.fromkeys(radio[0] for radio in radios):
                channel = channels.get(frequency, _UNKNOWN)
                if channel == _UNKNOWN:
                    channel = _learn_channel(frequency)
                if channel:
                    rows.append(_row((callsign, True, frequency, channel, None, None)))
            continue
        for frequency, sites in _by_frequency(radios).items():
            channel = _channel(frequency)
            if not channel:
                continue
            ordered = sorted(set(sites))
            rows.append(TuningRow(
                callsign, False, frequency, channel,
                tuple(site[0] for site in ordered), tuple(site[1] for site in ordered),
            ))
    return TickTunings(observed_at, rows, entries, skipped, dict(parsed.skipped_transceivers))


# A network uses a few hundred frequencies: each one's channel is worked out once, kept as the
# channel when it is controllable and 0 when not (a dict read in line: a third of the time of two
# cached function calls a radio, at 1,500 pilots). Emptied when full: a hostile feed's frequencies.
_CHANNELS_LIMIT = 4096
_UNKNOWN = -1
_channels: dict[int, int] = {}


def _learn_channel(frequency: int) -> int:
    channel = channel_hz(frequency)
    _channels[frequency] = channel if is_controllable_channel(channel) else 0
    return _channels[frequency]


def _channel(frequency: int) -> int:
    """The frequency's channel, 0 when not controllable (the pilots' loop reads the memo in line)."""
    channel = _channels.get(frequency, _UNKNOWN)
    return _learn_channel(frequency) if channel == _UNKNOWN else channel


# A TuningRow from a tuple of its fields: half the time of the NamedTuple's own constructor, which
# is a Python function (6,000 rows a tick at 4,000 pilots).
_row = partial(tuple.__new__, TuningRow)


def _by_frequency(radios: tuple[Transceiver, ...]) -> dict[int, list[tuple[float, float]]]:
    grouped: dict[int, list[tuple[float, float]]] = {}
    for radio in radios:
        grouped.setdefault(radio.frequency_hz, []).append((radio.latitude, radio.longitude))
    return grouped


def extendable_run_end(
    observed_at: datetime, previous_snapshot: datetime | None, previous_transceivers: datetime | None,
    gap_s: float = RUN_GAP_S,
) -> datetime | None:
    """The last_seen of the runs a snapshot may extend, or None when every run it sees starts anew.

    `previous_snapshot` is the newest stored snapshot before this one, `previous_transceivers` the
    newest stored before it with transceivers. A run (same connection, frequency and, for a
    controller, sites) continues when it was seen in the previous transceivers snapshot and either
    - that snapshot is the previous snapshot (consecutive snapshots: however far apart, nothing
      seen in between says otherwise), or
    - only snapshots without transceivers came in between, and this one is within RUN_GAP_S of it
      (a feed missing for up to three ticks neither cuts a run nor invents a retune; longer, the
      connection may have retuned and back unseen, so the run ends).
    A run last seen earlier than the previous transceivers snapshot was not in it: it ended there.
    """
    if previous_transceivers is None or previous_transceivers >= observed_at:
        return None
    if previous_snapshot == previous_transceivers:
        return previous_transceivers
    if (observed_at - previous_transceivers).total_seconds() <= gap_s:
        return previous_transceivers
    return None
