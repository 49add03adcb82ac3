"""What every domain's definitions share, said once: owners, the ingest lane, the refresh cadences."""

import dagster as dg

# Shown on every asset page; one team looks after the whole warehouse.
OWNERS = ["team:vatstats"]

# dagster.yaml allows one run with this tag at a time: ticks are applied in order and never race
# on the same rows.
INGEST_LANE_TAG = {"vatstats/lane": "ingest"}

# The ingest tables of a day re-derived from its raw snapshots (defs/rebuild/): the daily assets that
# read the ingest tables depend on it, so one backfill rebuilds a day and everything derived from it.
INGEST_REBUILD = "ingest_rebuild"

# Today's movements are recomputed every 20 minutes while the day runs (a 1,500-pilot day takes
# under a minute); yesterday's are finalised after midnight by the finalise_yesterday schedule.
# on_cron waits for every dependency to be updated after the tick: the rebuild, run only by hand,
# would hold the refresh back for good, so it is ignored (as the ingest group is by the others).
REFRESH_TODAY = dg.AutomationCondition.on_cron("*/20 * * * *").ignore(dg.AssetSelection.assets(INGEST_REBUILD))

# The live figures and the freshness check: every five minutes, never two at once.
EVERY_FIVE_MINUTES = dg.AutomationCondition.cron_tick_passed("*/5 * * * *") & ~dg.AutomationCondition.in_progress()
