"""Maintenance: day partitions created ahead, old partitions dropped, Dagster's own history pruned."""


from datetime import UTC, datetime, timedelta

import dagster as dg

from vatstats_assets.defs.conventions import OWNERS
from vatstats_assets.defs.resources import RetentionResource, WarehouseResource
from vatstats_assets.storage.partitions import day_partitioned_tables, drop_partitions_before, ensure_partitions
from vatstats_assets.storage.rebuild import oldest_raw_day_needed
from vatstats_assets.storage.tables import FEED_SNAPSHOTS, FLIGHT_POSITIONS

MAINTENANCE_GROUP = "maintenance"
DAYS_AHEAD = 2  # today and the next two days: a missed daily run still leaves a day in hand
MAINTENANCE_TAGS = {"vatstats/layer": "maintenance"}


@dg.asset(
    group_name=MAINTENANCE_GROUP,
    kinds={"postgres"},
    owners=OWNERS,
    tags=MAINTENANCE_TAGS,
    description="Creates the day partitions of every time-partitioned table for today and the next "
    "two days, so the ingest path never has to take the lock that creating one needs.",
)
def day_partitions_ahead(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    today = datetime.now(UTC).date()
    with warehouse.engine.begin() as conn:
        created = ensure_partitions(conn, today, today + timedelta(days=DAYS_AHEAD))
    context.log.info(f"Created {len(created)} partitions: {', '.join(created) or 'none needed'}")
    return dg.MaterializeResult(metadata={
        "partitions_created": len(created),
        "tables": ", ".join(day_partitioned_tables()),
        "through": str(today + timedelta(days=DAYS_AHEAD)),
    })


@dg.asset(
    group_name=MAINTENANCE_GROUP,
    kinds={"postgres"},
    owners=OWNERS,
    tags=MAINTENANCE_TAGS,
    description="Bounded storage: drops whole day partitions of raw snapshots and track history older "
    "than their retention (VATSTATS_RAW_RETENTION_DAYS, VATSTATS_TRACK_RETENTION_DAYS). Summaries are kept.",
)
def warehouse_retention(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, retention: RetentionResource
) -> dg.MaterializeResult:
    today = datetime.now(UTC).date()
    raw_cutoff = today - timedelta(days=retention.raw_days)
    with warehouse.engine.begin() as conn:
        # Raw days a rebuild from them is reading (or will resume reading) wait for it to finish.
        needed = oldest_raw_day_needed(conn)
        if needed is not None and needed < raw_cutoff:
            context.log.info(f"Raw snapshots from {needed} on are kept while the rebuild from them is under way")
            raw_cutoff = needed
        raw = drop_partitions_before(conn, FEED_SNAPSHOTS.name, raw_cutoff)
        tracks = drop_partitions_before(conn, FLIGHT_POSITIONS.name, today - timedelta(days=retention.track_days))
    context.log.info(f"Dropped {len(raw)} raw and {len(tracks)} track partitions")
    return dg.MaterializeResult(metadata={
        "raw_partitions_dropped": len(raw),
        "track_partitions_dropped": len(tracks),
        "raw_retention_days": retention.raw_days,
        "track_retention_days": retention.track_days,
    })
