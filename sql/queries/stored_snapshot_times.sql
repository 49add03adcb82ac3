-- The update_timestamps stored for one UTC day: replay skips those files without reading them, so
-- an interrupted replay resumes where it stopped at the cost of one query a day.
-- :start  timestamptz  the day's first instant
-- :end    timestamptz  the next day's first instant
SELECT update_timestamp FROM vatstats.feed_snapshots
WHERE update_timestamp >= :start AND update_timestamp < :end
