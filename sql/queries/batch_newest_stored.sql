-- Before a batch: the newest stored snapshot (the batch must be newer), the two snapshots
-- tuning_run_state.sql reads for the batch's first (the newest stored, and the newest with
-- transceivers), and the newest track row of the batch's day: when it is older than the batch's
-- first snapshot, no track row of the batch can be stored already (storage/tick_batch.py then
-- appends them without ON CONFLICT). Each is one backward scan of an index.
-- :day_start, :day_end  timestamptz  the UTC day the batch lies in
SELECT
    (SELECT max(update_timestamp) FROM vatstats.feed_snapshots) AS latest,
    (SELECT max(update_timestamp) FROM vatstats.feed_snapshots
      WHERE transceivers_entries IS NOT NULL) AS latest_transceivers,
    (SELECT max(observed_at) FROM vatstats.flight_positions
      WHERE observed_at >= :day_start AND observed_at < :day_end) AS latest_position
