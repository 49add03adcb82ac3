"""What runs by itself, and when: the sensors and schedules of a fresh deployment, and every
automation condition evaluated with Dagster's own evaluator on the project's definitions."""

import warnings
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from vatstats_assets.defs.automation import AUTOMATION_SENSOR_NAME
from vatstats_tests.support.definitions import PROJECT as defs

NOON = datetime(2026, 11, 20, 12, 0, 30, tzinfo=UTC)
TODAY = "2026-11-20"
SUMMARIES = dg.AssetSelection.groups("summaries")
COVERAGE = dg.AssetSelection.groups("coverage")
EVERYTHING = dg.AssetSelection.all() | dg.AssetSelection.all_asset_checks()
INGEST_ASSETS = ("raw_feed_snapshot", "flights", "atc_positions", "flight_positions", "transceiver_tunings")
FRESHNESS_CHECK = "raw_feed_snapshot:feed_is_fresh"
REPOSITORY = defs.get_repository_def()


def name_of(key: dg.AssetKey | dg.AssetCheckKey) -> str:
    if isinstance(key, dg.AssetCheckKey):
        return f"{key.asset_key.to_user_string()}:{key.name}"
    return key.to_user_string()


def test_every_sensor_and_schedule_runs_on_a_fresh_instance() -> None:
    # A fresh instance has no stored state for any of them, so each runs as its default says.
    assert {s.name: s.default_status for s in REPOSITORY.sensor_defs} == {
        s.name: dg.DefaultSensorStatus.RUNNING for s in REPOSITORY.sensor_defs
    }
    assert {s.name: s.default_status for s in REPOSITORY.schedule_defs} == {
        s.name: dg.DefaultScheduleStatus.RUNNING for s in REPOSITORY.schedule_defs
    }


def test_the_automation_sensor_targets_exactly_what_declares_a_condition() -> None:
    graph = defs.resolve_asset_graph()
    with_condition = {name_of(node.key) for node in graph.asset_nodes if node.automation_condition}
    with_condition |= {
        name_of(spec.key) for checks in defs.asset_checks or [] for spec in checks.check_specs
        if spec.automation_condition
    }
    sensor = REPOSITORY.get_sensor_def(AUTOMATION_SENSOR_NAME)
    selection = sensor.asset_selection
    assert selection is not None
    targeted = {name_of(k) for k in selection.resolve(graph)} | {name_of(k) for k in selection.resolve_checks(graph)}
    assert targeted == with_condition
    assert FRESHNESS_CHECK in targeted and "network_status" in targeted
    # Dagster adds its own sensor, stopped by default, only for conditions no sensor targets.
    automation_sensors = [s.name for s in REPOSITORY.sensor_defs if isinstance(s, dg.AutomationConditionSensorDefinition)]
    assert automation_sensors == [AUTOMATION_SENSOR_NAME]


class Evaluator:
    """Successive automation ticks over the summaries, carrying the cursor like the daemon does."""

    def __init__(self, instance: dg.DagsterInstance) -> None:
        self.instance = instance
        self.cursor = None

    def requested_at(self, moment: datetime, selection: dg.AssetSelection = SUMMARIES) -> dict[str, set[str]]:
        """What the automation sensor would request at `moment`: partition keys, or {""} unpartitioned."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dg.BetaWarning)  # raised inside the evaluator itself
            result = dg.evaluate_automation_conditions(
                defs=defs, instance=self.instance, asset_selection=selection, evaluation_time=moment, cursor=self.cursor
            )
        self.cursor = result.cursor
        return {
            name_of(r.key): set(r.true_subset.expensively_compute_partition_keys()) if r.true_subset.is_partitioned
            else {""}
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


def test_todays_movements_and_contacts_refresh_the_summaries_and_coverage_that_read_them(evaluator: Evaluator) -> None:
    evaluator.requested_at(NOON, EVERYTHING)
    evaluator.materialised("traffic_movements", TODAY)
    evaluator.materialised("atc_contacts", TODAY)
    assert evaluator.requested_at(NOON + timedelta(seconds=15), SUMMARIES | COVERAGE) == {
        "movement_summaries": {TODAY}, "flight_summaries": {TODAY}, "network_daily_stats": {TODAY},
        "coverage_hourly": {TODAY},
    }
    # Handled: nothing more until the movements change again.
    assert evaluator.requested_at(NOON + timedelta(seconds=30)) == {}


def test_an_older_days_movements_leave_its_summaries_to_the_finalise_schedule(evaluator: Evaluator) -> None:
    evaluator.requested_at(NOON)
    evaluator.materialised("traffic_movements", "2026-11-18")
    assert evaluator.requested_at(NOON + timedelta(seconds=15)) == {}


def test_controller_summaries_refresh_every_twenty_minutes_when_controllers_changed(evaluator: Evaluator) -> None:
    evaluator.requested_at(NOON)
    assert evaluator.requested_at(datetime(2026, 11, 20, 12, 20, 5, tzinfo=UTC)) == {}  # nothing new yet
    evaluator.materialised("atc_positions")
    evaluator.materialised("atc_contacts", TODAY)
    assert evaluator.requested_at(datetime(2026, 11, 20, 12, 20, 20, tzinfo=UTC)) == {
        "controller_summaries": {TODAY},
    }


def test_network_status_and_the_freshness_check_are_requested_at_every_five_minute_tick(evaluator) -> None:
    at_12_03 = datetime(2026, 11, 20, 12, 3, tzinfo=UTC)
    assert evaluator.requested_at(at_12_03, EVERYTHING) == {}
    every_five_minutes = {"network_status": {""}, FRESHNESS_CHECK: {""}}
    assert evaluator.requested_at(at_12_03 + timedelta(minutes=2, seconds=30), EVERYTHING) == every_five_minutes
    assert evaluator.requested_at(at_12_03 + timedelta(minutes=3), EVERYTHING) == {}  # handled until the next tick
    assert evaluator.requested_at(at_12_03 + timedelta(minutes=7, seconds=30), EVERYTHING) == every_five_minutes


def test_todays_movements_and_summaries_are_requested_at_the_twenty_minute_tick_after_ingest(evaluator) -> None:
    at_12_03 = datetime(2026, 11, 20, 12, 3, tzinfo=UTC)
    evaluator.requested_at(at_12_03, EVERYTHING)
    for asset in INGEST_ASSETS:
        evaluator.materialised(asset)
    requested = evaluator.requested_at(at_12_03 + timedelta(minutes=17, seconds=30), EVERYTHING)
    today_only = {TODAY}
    assert requested == {
        "traffic_movements": today_only, "atc_contacts": today_only, "controller_summaries": today_only,
        # In the same evaluation: they follow the movements and contacts requested with them.
        "movement_summaries": today_only, "flight_summaries": today_only, "network_daily_stats": today_only,
        "coverage_hourly": today_only,
        "network_status": {""}, FRESHNESS_CHECK: {""},
    }


def test_a_rebuilt_day_requests_nothing_by_itself(evaluator: Evaluator) -> None:
    """ingest_rebuild is upstream of the daily assets, for one backfill of both; never a trigger."""
    evaluator.requested_at(NOON, EVERYTHING)
    evaluator.materialised("ingest_rebuild", TODAY)
    evaluator.materialised("ingest_rebuild", "2026-11-19")
    assert evaluator.requested_at(NOON + timedelta(seconds=15), EVERYTHING) == {}
