"""The definitions as a whole: every dependency names a real asset, the settings given decide the
partitions and retention, and an asset's rows read back the way a notebook would."""

from datetime import date

import pandas as pd
import sqlalchemy as sa

from vatstats_assets.definitions import build_definitions
from vatstats_assets.settings import Settings
from vatstats_tests.support.definitions import PROJECT
from vatstats_tests.support.warehouse_rows import add_movements, movement, utc


def test_every_dependency_names_an_asset_the_project_defines() -> None:
    graph = PROJECT.resolve_asset_graph()
    defined = {node.key for node in graph.asset_nodes if node.is_materializable}
    # A typo in deps=[...] would load silently as an external asset of that name.
    unknown = {
        f"{node.key.to_user_string()} -> {parent.to_user_string()}"
        for node in graph.asset_nodes if node.is_materializable
        for parent in node.parent_keys if parent not in defined
    }
    assert unknown == set()


def test_the_settings_given_decide_the_partitions_and_the_retention() -> None:
    settings = Settings.from_env({
        "VATSTATS_PARTITIONS_START": "2025-03-01", "VATSTATS_RAW_RETENTION_DAYS": "3",
        "VATSTATS_TRACK_RETENTION_DAYS": "30", "VATSTATS_RUN_RETENTION_DAYS": "2",
    })
    defs = build_definitions(settings)
    movements = defs.resolve_assets_def("traffic_movements")
    assert movements.partitions_def is not None
    assert movements.partitions_def.get_first_partition_key() == "2025-03-01"
    retention = defs.resources["retention"]
    assert (retention.raw_days, retention.track_days, retention.run_days) == (3, 30, 2)


def test_a_partition_reads_back_through_the_io_manager(engine: sa.Engine, warehouse_env: str) -> None:
    add_movements(engine, [
        movement("YSSY", "departure", utc("2026-11-20 06:00"), cid=1),
        movement("YMML", "arrival", utc("2026-11-20 07:30"), cid=1),
        movement("YSSY", "arrival", utc("2026-11-21 01:00"), cid=2),  # the next day's partition
    ])
    defs = build_definitions(Settings.from_env())  # the warehouse named by VATSTATS_DATABASE_URL
    frame = defs.load_asset_value("traffic_movements", partition_key="2026-11-20")
    assert isinstance(frame, pd.DataFrame)
    assert sorted(zip(frame["airport"], frame["movement_type"], strict=True)) == [
        ("YMML", "arrival"), ("YSSY", "departure"),
    ]
    assert {d.date() for d in frame["at"]} == {date(2026, 11, 20)}
