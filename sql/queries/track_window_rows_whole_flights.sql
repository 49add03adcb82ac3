-- track_window_rows.sql for the flights completed in a window (flight_summaries): every position from
-- :recent_start on, and before it (back to :context_start, the whole of a long flight) only those of
-- pilots, by cid and callsign, with a connection seen at or after :recent_start. A flight is one
-- pilot's chain of reconnects (core/movements.py stitch_reconnects), so no other position can belong
-- to a flight that lands in the window: a day's read no longer carries the 18 hours before it of
-- every pilot of the day before (storage/tracks.py load_whole_flights).
-- :context_start, :recent_start, :lookahead_end  timestamptz
SELECT cid, logon_time, hashtext(callsign) AS callsign_hash, observed_at, latitude, longitude, altitude_ft, groundspeed_kt
FROM vatstats.flight_positions
WHERE observed_at >= :recent_start AND observed_at < :lookahead_end
UNION ALL
SELECT p.cid, p.logon_time, hashtext(p.callsign), p.observed_at, p.latitude, p.longitude, p.altitude_ft, p.groundspeed_kt
FROM vatstats.flight_positions AS p
JOIN (SELECT DISTINCT cid, callsign FROM vatstats.flights
      WHERE last_seen >= :recent_start
        AND last_seen_hour >= date_trunc('hour', CAST(:recent_start AS timestamptz) AT TIME ZONE 'UTC')
     ) AS pilots ON pilots.cid = p.cid AND pilots.callsign = p.callsign
WHERE p.observed_at >= :context_start AND p.observed_at < :recent_start
