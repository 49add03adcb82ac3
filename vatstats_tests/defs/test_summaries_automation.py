"""When the summaries refresh: evaluated with Dagster's own automation evaluator on the real definitions."""

from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest

from vatstats_tests.support.definitions import PROJECT as defs

NOON = datetime(2026, 11, 20, 12, 0, 30, tzinfo=timezone.utc)
TODAY = "2026-11-20"
SUMMARIES = dg.AssetSelection.groups("summaries")
INGEST_ASSETS = ("raw_feed_snapshot", "flights", "atc_positions", "flight_positions")


class Evaluator:
    """Successive automation ticks over the summaries, carrying the cursor like the daemon does."""

    def __init__(self, instance: dg.DagsterInstance) -> None:
        self.instance = instance
        self.cursor = None

    def requested_at(self, moment: datetime) -> dict[str, set[str]]:
        result = dg.evaluate_automation_conditions(
            defs=defs, instance=self.instance, asset_selection=SUMMARIES, evaluation_time=moment, cursor=self.cursor
        )
        self.cursor = result.cursor
        return {
            r.key.to_user_string(): set(r.true_subset.expensively_compute_partition_keys())
            for r in result.results if r.true_subset.size
        }

    def materialised(self, asset: str, partition: str | None = None) -> None:
        self.instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=asset, partition=partition))


@pytest.fixture
def evaluator() -> Evaluator:
    return Evaluator(dg.DagsterInstance.ephemeral())


def test_an_ingest_tick_alone_refreshes_no_summary(evaluator: Evaluator) -> None:
    assert evaluator.requested_at(NOON) == {}
    for asset in INGEST_ASSETS:
        evaluator.materialised(asset)
    assert evaluator.requested_at(NOON + timedelta(seconds=15)) == {}


def test_todays_movements_refresh_the_summaries_that_read_them(evaluator: Evaluator) -> None:
    evaluator.requested_at(NOON)
    evaluator.materialised("traffic_movements", TODAY)
    assert evaluator.requested_at(NOON + timedelta(seconds=15)) == {
        "movement_summaries": {TODAY}, "flight_summaries": {TODAY}, "network_daily_stats": {TODAY},
    }
    # Handled: nothing more until the movements change again.
    assert evaluator.requested_at(NOON + timedelta(seconds=30)) == {}


def test_an_older_days_movements_leave_its_summaries_to_the_finalise_schedule(evaluator: Evaluator) -> None:
    evaluator.requested_at(NOON)
    evaluator.materialised("traffic_movements", "2026-11-18")
    assert evaluator.requested_at(NOON + timedelta(seconds=15)) == {}


def test_controller_summaries_refresh_every_twenty_minutes_when_controllers_changed(evaluator: Evaluator) -> None:
    evaluator.requested_at(NOON)
    assert evaluator.requested_at(datetime(2026, 11, 20, 12, 20, 5, tzinfo=timezone.utc)) == {}  # nothing new yet
    evaluator.materialised("atc_positions")
    assert evaluator.requested_at(datetime(2026, 11, 20, 12, 20, 20, tzinfo=timezone.utc)) == {
        "controller_summaries": {TODAY},
    }
