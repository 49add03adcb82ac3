-- The track points movement detection needs for one window: every position observed from
-- :context_start (hours before the window, so a flight crossing midnight is understood) to
-- :lookahead_end (a little after it, so a movement just before midnight can be confirmed).
-- The range on observed_at lets PostgreSQL prune to the one to three day partitions involved.
-- :context_start, :lookahead_end  timestamptz
SELECT cid, callsign, logon_time, observed_at, latitude, longitude, altitude_ft, groundspeed_kt
FROM vatstats.flight_positions
WHERE observed_at >= :context_start AND observed_at < :lookahead_end
ORDER BY cid, callsign, logon_time, observed_at;
