"""The movements domain: traffic_movements and its checks."""

import dagster as dg

from vatstats_assets.defs.movements.assets import traffic_movements
from vatstats_assets.defs.movements.checks import movement_checks


def movements_definitions(partitions: dg.DailyPartitionsDefinition) -> dg.Definitions:
    return dg.Definitions(assets=[traffic_movements.build(partitions)], asset_checks=movement_checks(partitions))
