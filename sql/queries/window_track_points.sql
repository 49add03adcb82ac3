-- The track points of a window for the coverage assets (storage/track_points.py), by binary COPY into numpy:
-- fixed-width columns only, the callsign as its hashtext (as track_window_rows.sql).
-- :window_start, :window_end  timestamptz  (bound client-side: COPY takes no parameters)
SELECT cid, logon_time, hashtext(callsign), observed_at, latitude, longitude, altitude_ft
FROM vatstats.flight_positions
WHERE observed_at >= :window_start AND observed_at < :window_end
