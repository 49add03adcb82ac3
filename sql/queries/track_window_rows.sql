-- The positions of a window, one row each and in no particular order, for binary COPY into numpy
-- (storage/tracks.py): every field is fixed-width, so the whole result is read as one numpy record
-- array, and grouping by connection and time is a numpy sort instead of a server-side sort and
-- array_agg. The callsign (text, variable width) travels as hashtext(callsign); the loader maps
-- (cid, logon_time, hash) back to the connection with track_connections.sql's rows.
-- :context_start, :lookahead_end  timestamptz  (bound client-side: COPY takes no parameters)
SELECT cid, logon_time, hashtext(callsign), observed_at, latitude, longitude, altitude_ft, groundspeed_kt
FROM vatstats.flight_positions
WHERE observed_at >= :context_start AND observed_at < :lookahead_end
