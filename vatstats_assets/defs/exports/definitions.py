"""The exports domain: daily_exports and its check, with the folder they write into. Merged into the
project only when VATSTATS_EXPORT_DIR is set (definitions.build_definitions)."""

from pathlib import Path

import dagster as dg

from vatstats_assets.core.exports import exported_tables
from vatstats_assets.defs.exports.assets import EXPORT_FOLDER_KEY, ExportFolderResource, daily_exports_asset
from vatstats_assets.defs.exports.checks import files_match_warehouse_check


def exports_definitions(
    partitions: dg.DailyPartitionsDefinition, export_dir: Path, *, with_airspace: bool = False
) -> dg.Definitions:
    """`with_airspace`: the airspace domain is defined too, so its daily tables are exported (after it)."""
    tables = exported_tables(with_airspace)
    return dg.Definitions(
        assets=[daily_exports_asset(partitions, tables)],
        asset_checks=[files_match_warehouse_check(partitions, tables)],
        resources={EXPORT_FOLDER_KEY: ExportFolderResource(path=str(export_dir))},
    )
