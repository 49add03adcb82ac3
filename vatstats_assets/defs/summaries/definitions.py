"""The summaries domain: the daily summaries and their checks, network_status, and the schedule
that finalises yesterday's movements and summaries."""

import dagster as dg

from vatstats_assets.defs.summaries.assets import (
    controller_summaries,
    flight_summaries,
    movement_summaries,
    network_daily_stats,
)
from vatstats_assets.defs.summaries.daily_checks import summary_checks
from vatstats_assets.defs.summaries.finalise import daily_statistics_job, finalise_yesterday
from vatstats_assets.defs.summaries.status import network_status

DAILY_SUMMARIES = (movement_summaries, flight_summaries, controller_summaries, network_daily_stats)


def summaries_definitions(partitions: dg.DailyPartitionsDefinition) -> dg.Definitions:
    return dg.Definitions(
        assets=[*(summary.build(partitions) for summary in DAILY_SUMMARIES), network_status],
        asset_checks=summary_checks(partitions),
        jobs=[daily_statistics_job],
        schedules=[finalise_yesterday],
    )
