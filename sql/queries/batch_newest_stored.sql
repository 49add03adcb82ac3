-- Before a batch: the newest stored snapshot (the batch must be newer), and the two snapshots
-- tuning_run_state.sql reads for the batch's first (the newest stored, and the newest with
-- transceivers). Each is one backward scan of the primary key.
SELECT
    (SELECT max(update_timestamp) FROM vatstats.feed_snapshots) AS latest,
    (SELECT max(update_timestamp) FROM vatstats.feed_snapshots
      WHERE transceivers_entries IS NOT NULL) AS latest_transceivers
