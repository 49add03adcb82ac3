-- The last fallback for connections alive at :start: nothing tells their state at :start, so they
-- are last seen at first_seen, before the window, and the window's first snapshot of them moves them.
-- :start  timestamptz  the window's start
UPDATE vatstats.flights SET last_seen = first_seen
WHERE last_seen_hour >= date_trunc('hour', CAST(:start AS timestamptz) AT TIME ZONE 'UTC')
  AND last_seen >= :start AND first_seen < :start;
UPDATE vatstats.atc_positions SET last_seen = first_seen
WHERE last_seen >= :start AND first_seen < :start;
