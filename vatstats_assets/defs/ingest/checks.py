"""The feed's freshness check: the newest stored snapshot is recent while ingestion is on."""


from datetime import UTC, datetime

import dagster as dg

from vatstats_assets.core.freshness import FRESHNESS_LIMIT, is_fresh
from vatstats_assets.defs.conventions import EVERY_FIVE_MINUTES
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.summaries import latest_snapshot_at


@dg.asset_check(
    asset="raw_feed_snapshot",
    name="feed_is_fresh",
    description=f"The newest stored snapshot is at most {FRESHNESS_LIMIT.seconds} s old (WARN when nothing is "
    "stored yet). A stopped vatsim_feed_sensor fails it too: Dagster has no public API to tell a stop on "
    "purpose from an outage.",
    # Every 5 minutes on its own: ingest runs only ever see a snapshot they just wrote.
    # Dagster types a combined condition for assets; the same condition serves a check.
    automation_condition=EVERY_FIVE_MINUTES,  # type: ignore[arg-type]
)
def feed_is_fresh(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.engine.connect() as conn:
        latest = latest_snapshot_at(conn)
    if latest is None:
        return dg.AssetCheckResult(
            passed=False, severity=dg.AssetCheckSeverity.WARN, description="No feed snapshot is stored yet."
        )
    now = datetime.now(UTC)
    age_s = (now - latest).total_seconds()
    passed = bool(is_fresh(latest, now))
    if passed:
        description = f"The newest snapshot is {age_s:.0f} s old."
    else:
        description = (f"The newest snapshot is {age_s:.0f} s old, over the {FRESHNESS_LIMIT.seconds} s limit "
                       "(is vatsim_feed_sensor running?).")
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=description,
        metadata={"age_s": round(age_s, 1), "latest_snapshot_at": dg.MetadataValue.timestamp(latest)},
    )
