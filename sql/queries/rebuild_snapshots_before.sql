-- Raw snapshots just before the window, newest first: where the rows of connections alive at the
-- window's start find their state at that moment.
-- :before      timestamptz  the window's start (or the oldest snapshot already read)
-- :not_before  timestamptz  how far back to look
-- :limit       integer      page size
SELECT update_timestamp, fetched_at, source, body, body_encoding, region, transceivers_body, transceivers_missing
FROM vatstats.feed_snapshots
WHERE update_timestamp < :before AND update_timestamp >= :not_before
ORDER BY update_timestamp DESC
LIMIT :limit;
