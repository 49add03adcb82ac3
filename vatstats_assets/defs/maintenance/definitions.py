"""The maintenance domain: day partitions ahead, retention, and Dagster's own history pruned."""

import dagster as dg

from vatstats_assets.defs.maintenance.assets import day_partitions_ahead, warehouse_retention
from vatstats_assets.defs.maintenance.schedules import (
    daily_maintenance_schedule,
    maintenance_job,
    prune_dagster_history_job,
    prune_dagster_history_schedule,
)


def maintenance_definitions() -> dg.Definitions:
    return dg.Definitions(
        assets=[day_partitions_ahead, warehouse_retention],
        jobs=[maintenance_job, prune_dagster_history_job],
        schedules=[daily_maintenance_schedule, prune_dagster_history_schedule],
    )
