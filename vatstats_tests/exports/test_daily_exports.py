"""daily_exports (defs/exports): in the project only with VATSTATS_EXPORT_DIR, requested by itself for
finished days, and materialised for a day it writes that day's files and says so."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import pandas as pd

from vatstats_assets.core.exports import export_path, exported_tables
from vatstats_assets.definitions import build_definitions
from vatstats_assets.defs.automation import AUTOMATION_SENSOR_NAME
from vatstats_assets.defs.exports.assets import DAILY_DEPS, EXPORT_FOLDER_KEY, ExportFolderResource
from vatstats_assets.settings import Settings
from vatstats_tests.exports.warehouse_days import add_day
from vatstats_tests.fixtures import FIXTURES_DIR
from vatstats_tests.support.definitions import run_resources
from vatstats_tests.support.warehouse_rows import add_movements, movement

EXPORT_DIR = "/srv/vatstats-exports"
WITH_EXPORTS = build_definitions(Settings.from_env({"VATSTATS_EXPORT_DIR": EXPORT_DIR}))
DAILY_EXPORTS = dg.AssetKey("daily_exports")
AIRSPACE_FIXTURES = FIXTURES_DIR / "airspace" / "vatsys"
# Without VATSTATS_AIRSPACE_DIR: every exportable table but the sector ones.
DAILY_TABLES = [t.name for t in exported_tables(with_airspace=False)]


def test_without_an_export_folder_the_project_has_no_daily_exports() -> None:
    defs = build_definitions(Settings.from_env({}))
    keys = {node.key for node in defs.resolve_asset_graph().asset_nodes}
    assert DAILY_EXPORTS not in keys and dg.AssetKey("traffic_movements") in keys
    assert EXPORT_FOLDER_KEY not in defs.resources


def test_with_an_export_folder_daily_exports_is_partitioned_like_the_summaries_and_automated() -> None:
    graph = WITH_EXPORTS.resolve_asset_graph()
    exports = WITH_EXPORTS.resolve_assets_def("daily_exports")
    assert exports.partitions_def == WITH_EXPORTS.resolve_assets_def("movement_summaries").partitions_def
    assert {k.to_user_string() for k in graph.get(DAILY_EXPORTS).parent_keys} == {
        *DAILY_DEPS, "flight_positions", "flights", "atc_positions",
    }
    assert WITH_EXPORTS.resources[EXPORT_FOLDER_KEY].path == EXPORT_DIR
    sensor = WITH_EXPORTS.get_repository_def().get_sensor_def(AUTOMATION_SENSOR_NAME)
    assert sensor.asset_selection is not None
    assert DAILY_EXPORTS in sensor.asset_selection.resolve(graph)


def test_with_the_airspace_domain_daily_exports_waits_for_and_copies_the_sector_tables() -> None:
    both = build_definitions(Settings.from_env({"VATSTATS_EXPORT_DIR": EXPORT_DIR,
                                                "VATSTATS_AIRSPACE_DIR": str(AIRSPACE_FIXTURES)}))
    parents = {k.to_user_string() for k in both.resolve_asset_graph().get(DAILY_EXPORTS).parent_keys}
    assert {"sector_occupancy", "sector_hourly_load"} <= parents


class Evaluator:
    """Automation ticks over daily_exports on the project's definitions, carrying the cursor."""

    def __init__(self) -> None:
        self.instance = dg.DagsterInstance.ephemeral()
        self.cursor = None

    def requested_at(self, moment: datetime) -> set[str]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dg.BetaWarning)
            result = dg.evaluate_automation_conditions(
                defs=WITH_EXPORTS, instance=self.instance, asset_selection=dg.AssetSelection.assets(DAILY_EXPORTS),
                evaluation_time=moment, cursor=self.cursor,
            )
        self.cursor = result.cursor
        return {key for r in result.results for key in r.true_subset.expensively_compute_partition_keys()}

    def tables_written(self, day: str) -> None:
        for asset in DAILY_DEPS:
            self.instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=asset, partition=day))

    def ingest_tick(self) -> None:
        for asset in ("flight_positions", "flights", "atc_positions"):
            self.instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=asset))


NOON = datetime(2026, 11, 20, 12, 0, 30, tzinfo=UTC)
AFTER_FINALISE = datetime(2026, 11, 21, 0, 21, 30, tzinfo=UTC)


def test_a_finished_day_is_exported_once_its_tables_are_written_again_and_today_never() -> None:
    evaluator = Evaluator()
    assert evaluator.requested_at(NOON) == set()
    evaluator.tables_written("2026-11-20")  # today's refresh during the day
    evaluator.ingest_tick()
    assert evaluator.requested_at(NOON + timedelta(seconds=30)) == set()
    # Midnight: the day is over, but its last refresh was before: wait for the finalise run.
    assert evaluator.requested_at(datetime(2026, 11, 21, 0, 0, 30, tzinfo=UTC)) == set()
    evaluator.tables_written("2026-11-20")  # finalise_yesterday at 00:20
    assert evaluator.requested_at(AFTER_FINALISE) == {"2026-11-20"}
    assert evaluator.requested_at(AFTER_FINALISE + timedelta(seconds=30)) == set()  # handled
    evaluator.ingest_tick()
    assert evaluator.requested_at(AFTER_FINALISE + timedelta(minutes=1)) == set()  # ingest alone: nothing


def test_a_recent_day_recomputed_is_exported_again_and_an_old_one_is_left_to_a_backfill() -> None:
    evaluator = Evaluator()
    evaluator.requested_at(NOON)
    evaluator.tables_written("2026-11-15")
    evaluator.tables_written("2026-10-01")
    assert evaluator.requested_at(NOON + timedelta(seconds=30)) == {"2026-11-15"}


def materialise_day(database_url: str, folder: Path, day: str, *, check_only: bool = False) -> dg.ExecuteInProcessResult:
    """The project's daily_exports and its check (as declared, before resources are bound) for one day."""
    exports = next(a for a in WITH_EXPORTS.assets or [] if isinstance(a, dg.AssetsDefinition) and DAILY_EXPORTS in a.keys)
    checks = [c for c in WITH_EXPORTS.asset_checks or [] if any(k.asset_key == DAILY_EXPORTS for k in c.check_keys)]
    resources = {**run_resources(database_url), EXPORT_FOLDER_KEY: ExportFolderResource(path=str(folder))}
    if check_only:
        # A run of checks alone has no partitioned asset to take the partitions from: the partition is
        # given as the tag a partitioned run carries (as vatstats_tests/defs/test_summary_checks.py does).
        return dg.materialize([exports, *checks], selection=dg.AssetSelection.checks_for_assets(DAILY_EXPORTS),
                              tags={"dagster/partition": day}, resources=resources, raise_on_error=False)
    return dg.materialize(
        [exports, *checks], partition_key=day, resources=resources, raise_on_error=False,
        selection=dg.AssetSelection.assets(DAILY_EXPORTS) | dg.AssetSelection.checks_for_assets(DAILY_EXPORTS),
    )


def test_a_materialised_day_writes_each_tables_parquet_file_and_its_metadata(engine, database_url, tmp_path) -> None:
    day = date(2026, 11, 19)
    add_day(engine, day)
    add_day(engine, day + timedelta(days=1), seed=1)  # the next day stays out
    result = materialise_day(database_url, tmp_path, str(day))
    assert result.success
    for table in DAILY_TABLES:
        assert export_path(tmp_path, table, day, "parquet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DAILY_TABLES)
    assert len(list(tmp_path.rglob("*"))) == 2 * len(DAILY_TABLES)  # a folder and a file each, nothing else
    (materialisation,) = result.asset_materializations_for_node("daily_exports")
    metadata = {k: v.value for k, v in materialisation.metadata.items()}
    assert metadata["folder"] == str(tmp_path) and metadata["files"] == len(DAILY_TABLES)
    assert metadata["traffic_movements_rows"] == 3 and metadata["flight_positions_rows"] == 5
    assert metadata["rows"] == sum(metadata[f"{t}_rows"] for t in DAILY_TABLES)
    assert metadata["bytes"] == sum(p.stat().st_size for p in tmp_path.rglob("*.parquet"))
    (check,) = result.get_asset_check_evaluations()
    assert check.passed, check.description
    movements = pd.read_parquet(tmp_path / "traffic_movements")
    assert {t.date() for t in movements["at"]} == {day}


def test_a_re_run_replaces_the_days_files_and_the_check_sees_a_missing_or_stale_one(
    engine, database_url, tmp_path
) -> None:
    day = date(2026, 11, 19)
    add_day(engine, day)
    assert materialise_day(database_url, tmp_path, str(day)).success
    first = export_path(tmp_path, "traffic_movements", day, "parquet").read_bytes()
    export_path(tmp_path, "flights", day, "parquet").unlink()
    late = datetime(2026, 11, 19, 22, tzinfo=UTC)  # more movements for the day (a late replay)
    add_movements(engine, [movement("YPPH", "arrival", late + timedelta(minutes=i), cid=9000 + i) for i in range(3)])
    stale = export_path(tmp_path, "traffic_movements", day, "parquet")
    # Only the check runs: the files are as the first run left them.
    check_only = materialise_day(database_url, tmp_path, str(day), check_only=True)
    (check,) = check_only.get_asset_check_evaluations()
    assert not check.passed
    assert "missing flights_2026-11-19.parquet" in (check.description or "")
    assert f"{stale.name}: 3 rows, the warehouse 6" in (check.description or "")
    rerun = materialise_day(database_url, tmp_path, str(day))
    assert rerun.success and rerun.get_asset_check_evaluations()[0].passed
    assert pd.read_parquet(stale).shape[0] == 6
    assert stale.read_bytes() != first
