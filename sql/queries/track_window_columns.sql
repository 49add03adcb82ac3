-- track_window.sql's positions without the connection key, for binary COPY into numpy columns: every
-- field has a fixed width (timestamptz as int8 microseconds, two float8, two int4), so the whole
-- result is parsed as one array. Cut into connections with track_window_keys.sql; cid is sent to check
-- that the cut lines up. Bound client-side (COPY takes no parameters).
-- :context_start, :lookahead_end  timestamptz
SELECT cid, observed_at, latitude, longitude, altitude_ft, groundspeed_kt
FROM vatstats.flight_positions
WHERE observed_at >= :context_start AND observed_at < :lookahead_end
ORDER BY cid, callsign, logon_time, observed_at
