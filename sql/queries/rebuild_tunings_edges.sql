-- The snapshots with transceivers on either side of a rebuild window: the last before :start and
-- the first at or after :end (NULL where there is none). Each is one scan of the primary key.
-- :start, :end  timestamptz
SELECT
    (SELECT update_timestamp FROM vatstats.feed_snapshots
      WHERE update_timestamp < :start AND transceivers_entries IS NOT NULL
      ORDER BY update_timestamp DESC LIMIT 1) AS before_start,
    (SELECT update_timestamp FROM vatstats.feed_snapshots
      WHERE update_timestamp >= :end AND transceivers_entries IS NOT NULL
      ORDER BY update_timestamp LIMIT 1) AS after_end;
