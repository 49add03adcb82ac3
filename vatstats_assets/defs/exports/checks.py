"""The check on daily_exports: every file of the partition is there and holds the warehouse's rows."""

import dagster as dg

from vatstats_assets.core.exports import ExportTable, export_path
from vatstats_assets.defs.daily_assets import each_day
from vatstats_assets.defs.exports.assets import ExportFolderResource
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.defs.table_checks import checked_window, daily_check, window_text
from vatstats_assets.storage.export import file_rows, warehouse_rows


def files_match_warehouse_check(
    partitions: dg.DailyPartitionsDefinition, tables: list[ExportTable]
) -> dg.AssetChecksDefinition:
    @daily_check(
        asset="daily_exports", name="files_match_warehouse", partitions=partitions,
        description="Each exportable table has its Parquet file for the day, holding as many rows as the "
        "warehouse has for that day now.",
    )
    def files_match_warehouse(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, export_folder: ExportFolderResource
    ) -> dg.AssetCheckResult:
        window = checked_window(context, partitions)
        missing: list[str] = []
        differing: list[str] = []
        checked = 0
        for start, _ in each_day(window.start, window.end):
            for table in tables:
                path = export_path(export_folder.folder, table.name, start.date(), "parquet")
                checked += 1
                if not path.exists():
                    missing.append(path.name)
                    continue
                in_file, in_warehouse = file_rows(path), warehouse_rows(warehouse.engine, table, start.date())
                if in_file != in_warehouse:
                    differing.append(f"{path.name}: {in_file} rows, the warehouse {in_warehouse}")
        problems = [f"missing {name}" for name in missing] + differing
        return dg.AssetCheckResult(
            passed=not problems,
            description=f"{checked - len(problems)} of {checked} files in {window_text(window)} match the warehouse"
            + (f"; {'; '.join(problems[:5])}" if problems else "."),
            metadata={"files_checked": checked, "files_missing": len(missing), "files_differing": len(differing)},
        )

    return files_match_warehouse
