-- track_window.sql's positions with one row per connection, its samples as five arrays, for binary
-- COPY into numpy: psycopg2 hands COPY output to Python a row at a time, so a day's millions of
-- position rows cost a Python call each, while a few thousand connection rows cost next to nothing.
-- The five arrays of a row are in one order (each input row feeds every aggregate of its group at
-- once): time order, from the sorted subquery; the loader sorts by observed_at should a plan not
-- keep it, which gives the same order (observed_at is unique within a connection).
-- :context_start, :lookahead_end  timestamptz  (bound client-side: COPY takes no parameters)
SELECT cid, callsign, logon_time, array_agg(observed_at), array_agg(latitude), array_agg(longitude),
       array_agg(altitude_ft), array_agg(groundspeed_kt)
FROM (
    SELECT cid, callsign, logon_time, observed_at, latitude, longitude, altitude_ft, groundspeed_kt
    FROM vatstats.flight_positions
    WHERE observed_at >= :context_start AND observed_at < :lookahead_end
    ORDER BY cid, callsign, logon_time, observed_at
) AS track
GROUP BY cid, callsign, logon_time
ORDER BY cid, callsign, logon_time
