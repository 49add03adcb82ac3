-- The next page of the window's raw snapshots, oldest first (keyset pagination on the key): a
-- rebuild holds one page of compressed bodies at a time.
-- :after  timestamptz  the last snapshot applied (the window's start minus a moment before the first)
-- :end    timestamptz  the window's end (exclusive)
-- :limit  integer      page size
SELECT update_timestamp, fetched_at, source, body, body_encoding, region, transceivers_body, transceivers_missing
FROM vatstats.feed_snapshots
WHERE update_timestamp > :after AND update_timestamp < :end
ORDER BY update_timestamp
LIMIT :limit;
