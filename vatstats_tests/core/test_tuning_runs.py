"""Keying transceivers to a snapshot's connections, and which runs a snapshot may extend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vatstats_assets.core.coverage_rules import channel_hz, is_controllable_channel
from vatstats_assets.core.transceivers import ParsedTransceivers, Transceiver
from vatstats_assets.core.tuning_runs import ATIS, NOT_CONNECTED, TuningRow, extendable_run_end, tick_tunings

T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def seconds(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


def test_a_pilot_gets_one_row_per_frequency_without_sites() -> None:
    parsed = ParsedTransceivers({"QFA1": (Transceiver(124_500_000, -33.9, 151.2), Transceiver(124_500_000, -33.9, 151.2),
                                          Transceiver(118_010_000, -33.9, 151.2))})
    tunings = tick_tunings(parsed, T0, pilots=["QFA1"], controllers=[], atis_callsigns=[])
    assert tunings.rows == [
        TuningRow("QFA1", True, 124_500_000, 124_500_000, None, None),
        TuningRow("QFA1", True, 118_010_000, 118_008_333, None, None),  # an 8.33 name: its carrier
    ]
    assert tunings.entries == 1


def test_every_frequency_of_a_hostile_feed_gets_its_own_channel_and_uncontrollable_ones_no_row() -> None:
    # More distinct frequencies than the channel memo keeps: it empties and goes on, never mixing them up.
    frequencies = [118_000_000 + 25_000 * i for i in range(5_000)] + [122_800_000, 121_500_000, 199_998_000]
    pilots = [f"P{i}" for i in range(len(frequencies))]
    parsed = ParsedTransceivers({p: (Transceiver(f, 0.0, 0.0),) for p, f in zip(pilots, frequencies, strict=True)})
    for _ in range(2):  # the second time from the memo
        rows = tick_tunings(parsed, T0, pilots=pilots, controllers=[], atis_callsigns=[]).rows
        assert [(r.callsign, r.channel_hz) for r in rows] == [
            (p, channel_hz(f)) for p, f in zip(pilots, frequencies, strict=True)
            if is_controllable_channel(channel_hz(f))
        ]
        assert not {122_800_000, 121_500_000, 199_998_000} & {r.frequency_hz for r in rows}


def test_a_controllers_sites_on_a_frequency_are_sorted_and_each_counted_once() -> None:
    parsed = ParsedTransceivers({"ML_CTR": (
        Transceiver(124_650_000, -30.0, 150.0), Transceiver(124_650_000, -35.0, 145.0),
        Transceiver(124_650_000, -30.0, 150.0), Transceiver(133_000_000, -35.0, 145.0),
    )})
    tunings = tick_tunings(parsed, T0, pilots=[], controllers=["ML_CTR"], atis_callsigns=[])
    assert [(r.frequency_hz, r.site_latitudes, r.site_longitudes, r.is_pilot) for r in tunings.rows] == [
        (124_650_000, (-35.0, -30.0), (145.0, 150.0), False),
        (133_000_000, (-35.0,), (145.0,), False),
    ]


def test_atis_and_unknown_callsigns_are_skipped_by_reason_beside_the_parsers_skips() -> None:
    parsed = ParsedTransceivers({"SY_ATIS": (), "GHOST": (), "QFA1": ()}, skipped_entries={"entry is not an object": 2})
    tunings = tick_tunings(parsed, T0, pilots=["QFA1"], controllers=[], atis_callsigns=["SY_ATIS"])
    assert tunings.rows == [] and tunings.entries == 1
    assert tunings.skipped == {"entry is not an object": 2, ATIS: 1, NOT_CONNECTED: 1}


def test_consecutive_transceivers_snapshots_continue_runs_however_far_apart() -> None:
    assert extendable_run_end(seconds(15), seconds(0), seconds(0)) == seconds(0)
    assert extendable_run_end(seconds(600), seconds(0), seconds(0)) == seconds(0)


def test_snapshots_without_transceivers_in_between_continue_runs_only_within_the_gap() -> None:
    assert extendable_run_end(seconds(60), seconds(45), seconds(0)) == seconds(0)
    assert extendable_run_end(seconds(75), seconds(60), seconds(0)) is None


def test_the_first_transceivers_snapshot_extends_nothing() -> None:
    assert extendable_run_end(seconds(0), None, None) is None
    assert extendable_run_end(seconds(15), seconds(0), None) is None
