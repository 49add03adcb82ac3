-- The snapshot times of a window, in order: the ticks a contact is made of (core/contacts.py).
-- :window_start, :window_end  timestamptz
SELECT update_timestamp
FROM vatstats.feed_snapshots
WHERE update_timestamp >= :window_start AND update_timestamp < :window_end
ORDER BY update_timestamp
