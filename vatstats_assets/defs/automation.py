"""The sensor that evaluates every automation condition, running from the first start.

Dagster's implicit `default_automation_condition_sensor` starts switched off, so on a fresh
deployment nothing with a condition (today's partitions, `network_status`, the freshness check)
would ever run until someone found the toggle. This sensor replaces it: it targets exactly the
assets and checks that declare a condition, so no implicit sensor is created beside it.
"""

from collections.abc import Iterable

import dagster as dg

AUTOMATION_SENSOR_NAME = "vatstats_automation"
# Condition ticks are at whole minutes (*/5, */20): evaluating every 30 s requests a run within
# half a minute of its tick, at a few milliseconds of the daemon's time per evaluation.
EVALUATION_INTERVAL_S = 30


def automated_keys(
    assets: Iterable[dg.AssetsDefinition], checks: Iterable[dg.AssetChecksDefinition]
) -> tuple[list[dg.AssetKey], list[dg.AssetCheckKey]]:
    """The asset and check keys that declare an automation condition."""
    asset_keys = [spec.key for a in assets for spec in a.specs if spec.automation_condition is not None]
    check_keys = [spec.key for c in checks for spec in c.check_specs if spec.automation_condition is not None]
    return asset_keys, check_keys


def automation_sensor(
    assets: Iterable[dg.AssetsDefinition], checks: Iterable[dg.AssetChecksDefinition]
) -> dg.AutomationConditionSensorDefinition:
    asset_keys, check_keys = automated_keys(assets, checks)
    return dg.AutomationConditionSensorDefinition(
        name=AUTOMATION_SENSOR_NAME,
        # without_checks: the checks of these assets that declare no condition are not its business.
        target=dg.AssetSelection.assets(*asset_keys).without_checks() | dg.AssetSelection.checks(*check_keys),
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=EVALUATION_INTERVAL_S,
        description="Evaluates the automation conditions: today's movements and summaries through the "
        "day, network_status and the feed_is_fresh check every five minutes. Runs from the first start.",
    )
