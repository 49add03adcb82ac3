"""A rebuild re-derives the transceiver tuning runs of its window from the stored transceivers, and
joins them to the runs outside it as live ingestion would have: ingesting with a fault in the tuning
rows and rebuilding gives back what a faultless ingestion wrote."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from vatstats_assets.core.region import region
from vatstats_assets.core.tuning_runs import TickTunings
from vatstats_assets.storage.ingest import PreparedTick
from vatstats_assets.storage.rebuild import rebuild_window
from vatstats_tests.support.midnight_feed import checksums, empty_ingest_tables, one_at_a_time

NOV_19, NOV_20 = (datetime(2026, 11, d, tzinfo=UTC) for d in (19, 20))
DAY = timedelta(days=1)


def without_pilot_radios(tick: PreparedTick) -> PreparedTick:
    """The tick as an ingestion that lost the pilots' tunings (a parser fault) writes it: the
    snapshot's row and its counts as they are, the controllers' runs too."""
    tunings = tick.tables["transceiver_tunings"]
    assert isinstance(tunings, TickTunings)
    kept = replace(tunings, rows=[row for row in tunings.rows if not row.is_pilot])
    return replace(tick, tables={**tick.tables, "transceiver_tunings": kept})


def faulty_on(day: datetime, ticks: list[PreparedTick]) -> list[PreparedTick]:
    return [without_pilot_radios(t) if day <= t.update_timestamp < day + DAY else t for t in ticks]


@pytest.mark.parametrize("day", [NOV_19, NOV_20], ids=["runs reaching past the window", "runs from before it"])
def test_rebuilding_a_day_ingested_with_lost_tunings_gives_back_the_faultless_runs(engine, ticks, day) -> None:
    one_at_a_time(engine, ticks)
    faultless = checksums(engine)
    empty_ingest_tables(engine)
    one_at_a_time(engine, faulty_on(day, ticks))
    faulty = checksums(engine)
    assert faulty["transceiver_tunings"] != faultless["transceiver_tunings"]
    assert {t: c for t, c in faulty.items() if t != "transceiver_tunings"} == {
        t: c for t, c in faultless.items() if t != "transceiver_tunings"}

    rebuild_window(engine, day, day + DAY, region_for=region, store_names=True, now=NOV_20 + 3 * DAY)
    assert checksums(engine) == faultless


def test_rebuilding_both_days_in_one_window_and_again_changes_nothing(engine, ticks) -> None:
    one_at_a_time(engine, ticks)
    faultless = checksums(engine)
    for _ in range(2):
        rebuild_window(engine, NOV_19, NOV_20 + DAY, region_for=region, store_names=True, now=NOV_20 + 3 * DAY)
        assert checksums(engine) == faultless
