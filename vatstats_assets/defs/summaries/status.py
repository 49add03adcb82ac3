"""The network status asset: the live figures as numeric metadata, which the Dagster UI plots."""


from datetime import UTC, datetime
from typing import Any

import dagster as dg

from vatstats_assets.defs.conventions import EVERY_FIVE_MINUTES, OWNERS
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.status import network_status as read_network_status

# Not "summaries": that group is the daily-partitioned assets the finalise_yesterday job runs,
# and this asset has no partitions.
STATUS_GROUP = "status"



@dg.asset(
    group_name=STATUS_GROUP,
    kinds={"postgres"},
    deps=["raw_feed_snapshot", "flights", "atc_positions", "traffic_movements"],
    # Every 5 minutes gives a smooth plot of the day at 288 small runs a day; the status command
    # reads the same figures live whenever they are needed now.
    automation_condition=EVERY_FIVE_MINUTES,
    tags={"vatstats/layer": "status"},
    owners=OWNERS,
)
def network_status(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The live picture: pilots and controllers online, flights and movements today, and how old
    the newest stored snapshot is (the same figures as `vatstats status`)."""
    with warehouse.engine.connect() as conn:
        status = read_network_status(conn, datetime.now(UTC))
    metadata: dict[str, Any] = {
        "pilots_online": status.pilots_online,
        "controllers_online": status.controllers_online,
        "flights_today": status.flights_today,
        "movements_today": status.movements_today,
        "snapshots_today": status.snapshots_today,
    }
    if status.last_snapshot_at is not None:
        metadata["last_snapshot_age_s"] = status.last_snapshot_age_s
        metadata["last_snapshot_at"] = dg.MetadataValue.timestamp(status.last_snapshot_at)
    return dg.MaterializeResult(metadata=metadata)
