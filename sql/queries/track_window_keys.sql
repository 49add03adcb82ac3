-- The connections seen in a window and how many positions each has there, in the order of
-- track_window_columns.sql: the loader cuts that query's columns into connections with these counts
-- (both run in one REPEATABLE READ snapshot, so they see the same rows).
-- :context_start, :lookahead_end  timestamptz  the same range as track_window.sql
SELECT cid, callsign, logon_time, count(*) AS points
FROM vatstats.flight_positions
WHERE observed_at >= :context_start AND observed_at < :lookahead_end
GROUP BY cid, callsign, logon_time
ORDER BY cid, callsign, logon_time;
