-- track_window_rows.sql for the flights completed in a window (flight_summaries): every position from
-- :recent_start on, and before it (back to :context_start, the whole of a long flight) only those of
-- connections still seen at :recent_start and of the earlier connections they may continue. A flight is
-- one pilot's chain of reconnects (core/movements.py stitch_reconnects), and a connection continues
-- one whose last position is at most :reconnect_gap before its logon, so no other position can belong
-- to a flight that lands in the window: a day's read no longer carries the 18 hours before it of
-- every flight of the day before (storage/tracks.py load_whole_flights). (Two connections of one cid
-- and callsign online at once, which the network does not allow, could chain otherwise.)
-- :context_start, :recent_start, :lookahead_end  timestamptz;  :reconnect_gap  interval
WITH RECURSIVE needed (cid, callsign, logon_time) AS (
    SELECT cid, callsign, logon_time FROM vatstats.flights
    WHERE last_seen >= :recent_start AND first_seen < :lookahead_end
      AND last_seen_hour >= date_trunc('hour', CAST(:recent_start AS timestamptz) AT TIME ZONE 'UTC')
  UNION
    SELECT f.cid, f.callsign, f.logon_time
    FROM needed AS n
    JOIN vatstats.flights AS f ON f.cid = n.cid AND f.callsign = n.callsign AND f.logon_time < n.logon_time
    WHERE f.last_seen >= n.logon_time - CAST(:reconnect_gap AS interval) AND f.last_seen >= :context_start
)
SELECT cid, logon_time, hashtext(callsign) AS callsign_hash, observed_at, latitude, longitude, altitude_ft, groundspeed_kt
FROM vatstats.flight_positions
WHERE observed_at >= :recent_start AND observed_at < :lookahead_end
UNION ALL
SELECT p.cid, p.logon_time, hashtext(p.callsign), p.observed_at, p.latitude, p.longitude, p.altitude_ft, p.groundspeed_kt
FROM vatstats.flight_positions AS p
JOIN needed AS n ON n.cid = p.cid AND n.callsign = p.callsign AND n.logon_time = p.logon_time
WHERE p.observed_at >= :context_start AND p.observed_at < :recent_start
