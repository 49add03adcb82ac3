-- Which stored snapshots come just before this one: the newest of all, and the newest with
-- transceivers (transceivers_entries is set exactly when its transceivers were stored; rows from
-- before migration 012 have none). core/tuning_runs.py extendable_run_end decides from the two.
-- Each is one backward scan of the primary key, which stops at the first row that qualifies.
-- :ts  timestamptz  the update_timestamp of the snapshot being written
SELECT
    (SELECT update_timestamp FROM vatstats.feed_snapshots
      WHERE update_timestamp < :ts ORDER BY update_timestamp DESC LIMIT 1) AS previous_snapshot,
    (SELECT update_timestamp FROM vatstats.feed_snapshots
      WHERE update_timestamp < :ts AND transceivers_entries IS NOT NULL
      ORDER BY update_timestamp DESC LIMIT 1) AS previous_transceivers;
