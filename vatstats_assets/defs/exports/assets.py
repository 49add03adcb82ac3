"""daily_exports: each finished UTC day's rows of every exportable table, as Parquet files."""

import warnings
from datetime import date, timedelta
from pathlib import Path

import dagster as dg

from vatstats_assets.core.exports import ExportTable
from vatstats_assets.defs.conventions import OWNERS
from vatstats_assets.defs.daily_assets import each_day
from vatstats_assets.defs.partitions import WEEKLY_BACKFILL
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.export import ExportedFile, export_days

EXPORTS_GROUP = "exports"
EXPORT_FOLDER_KEY = "export_folder"
# The finished tables a day's export copies: the daily ones by partition, the ingest ones as they are.
DAILY_DEPS = ("traffic_movements", "movement_summaries", "flight_summaries", "controller_summaries", "network_daily_stats")
INGEST_DEPS = ("flight_positions", "flights", "atc_positions")
# With the airspace domain: its daily tables too, final after finalise_yesterday_sectors.
AIRSPACE_DEPS = ("sector_occupancy", "sector_hourly_load")
# A recomputed day among the last week's is exported again by itself; older days by a backfill.
RECENT_DAYS = 7

_INGEST = dg.AssetSelection.groups("ingest")
# Partitions whose UTC day is over: the RECENT_DAYS before today's (the latest) partition.
_FINISHED_DAY = (
    dg.AutomationCondition.in_latest_time_window(timedelta(days=RECENT_DAYS + 1))
    & ~dg.AutomationCondition.in_latest_time_window()
)
# A finished day is exported once its movements and summaries have been written again (the
# finalise_yesterday schedule after midnight, a backfill, a re-run from the UI) and none of them is
# missing or still running. Only updates made after the day ended count, so the day's last refresh
# before midnight does not export it ahead of the finalise run. The ingest tables change every 15 s:
# they are read, but their updates do not trigger anything.
EXPORT_FINISHED_DAYS = (
    _FINISHED_DAY
    & (_FINISHED_DAY & dg.AutomationCondition.any_deps_updated().ignore(_INGEST)).since_last_handled()
    & ~dg.AutomationCondition.any_deps_missing().ignore(_INGEST)
    & ~dg.AutomationCondition.any_deps_in_progress().ignore(_INGEST)
    & ~dg.AutomationCondition.in_progress()
).with_label("export_finished_days")


class ExportFolderResource(dg.ConfigurableResource):
    """The folder daily_exports writes into (VATSTATS_EXPORT_DIR)."""

    path: str

    @property
    def folder(self) -> Path:
        return Path(self.path)


def export_metadata(
    files: list[ExportedFile], folder: Path, days: list[date], tables: list[ExportTable]
) -> dict[str, dg.MetadataValue]:
    """Files, rows and bytes in all and per table, and where they are."""
    metadata: dict[str, dg.MetadataValue] = {
        "folder": dg.MetadataValue.path(str(folder)),
        "days": dg.MetadataValue.text(f"{days[0]}..{days[-1]}" if len(days) > 1 else str(days[0])),
        "files": dg.MetadataValue.int(len(files)),
        "rows": dg.MetadataValue.int(sum(f.rows for f in files)),
        "bytes": dg.MetadataValue.int(sum(f.bytes for f in files)),
    }
    lines = ["| table | files | rows | bytes |", "|---|---:|---:|---:|"]
    for table in (t.name for t in tables):
        mine = [f for f in files if f.table == table]
        rows, size = sum(f.rows for f in mine), sum(f.bytes for f in mine)
        metadata[f"{table}_rows"] = dg.MetadataValue.int(rows)
        metadata[f"{table}_bytes"] = dg.MetadataValue.int(size)
        lines.append(f"| {table} | {len(mine)} | {rows:,} | {size:,} |")
    metadata["tables"] = dg.MetadataValue.md("\n".join(lines))
    return metadata


def daily_exports_asset(partitions: dg.DailyPartitionsDefinition, tables: list[ExportTable]) -> dg.AssetsDefinition:
    airspace_deps = AIRSPACE_DEPS if any(t.from_airspace for t in tables) else ()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)  # backfill_policy, as in daily_assets.py

        @dg.asset(
            name="daily_exports",
            partitions_def=partitions,
            backfill_policy=WEEKLY_BACKFILL,
            group_name=EXPORTS_GROUP,
            kinds={"parquet", "postgres"},
            deps=[*DAILY_DEPS, *airspace_deps, *INGEST_DEPS],
            automation_condition=EXPORT_FINISHED_DAYS,
            tags={"vatstats/layer": "export"},
            owners=OWNERS,
        )
        def daily_exports(
            context: dg.AssetExecutionContext, warehouse: WarehouseResource, export_folder: ExportFolderResource
        ) -> dg.MaterializeResult:
            """A Parquet file per exportable table for each UTC day, in VATSTATS_EXPORT_DIR/<table>/, written
            once the day's movements and summaries are final; a re-run replaces the day's files."""
            window = context.partition_time_window
            days = [start.date() for start, _ in each_day(window.start, window.end)]
            folder = export_folder.folder
            # Day by day, a chunk at a time, each file renamed into place when complete (storage/export.py).
            files = list(export_days(warehouse.engine, tables, days, "parquet", folder))
            return dg.MaterializeResult(metadata=export_metadata(files, folder, days, tables))

    return daily_exports
