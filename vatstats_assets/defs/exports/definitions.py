"""The exports domain: daily_exports and its check, with the folder they write into. Merged into the
project only when VATSTATS_EXPORT_DIR is set (definitions.build_definitions)."""

from pathlib import Path

import dagster as dg

from vatstats_assets.defs.exports.assets import EXPORT_FOLDER_KEY, ExportFolderResource, daily_exports_asset
from vatstats_assets.defs.exports.checks import files_match_warehouse_check


def exports_definitions(partitions: dg.DailyPartitionsDefinition, export_dir: Path) -> dg.Definitions:
    return dg.Definitions(
        assets=[daily_exports_asset(partitions)],
        asset_checks=[files_match_warehouse_check(partitions)],
        resources={EXPORT_FOLDER_KEY: ExportFolderResource(path=str(export_dir))},
    )
