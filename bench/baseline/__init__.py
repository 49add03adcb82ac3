"""Track loading and movement/flight detection as they were before the columnar path (commit 5202482),
kept unchanged so `vatstats bench --only backfill` can time today's path against it in the same run
and check that both give identical rows. Not used by the pipeline."""
