-- Flight-plan facts of the connections seen in a window (one row each, from `flights`), in the
-- order the loader hands connections on, with the hash track_window_rows.sql sends for the callsign.
-- :context_start, :lookahead_end  timestamptz  the same range as track_window_rows.sql
-- The condition on last_seen_hour repeats the one on last_seen for the index (migration 005).
SELECT cid, callsign, logon_time, aircraft_type, departure, arrival, flight_rules,
       hashtext(callsign) AS callsign_hash
FROM vatstats.flights
WHERE last_seen >= :context_start AND first_seen < :lookahead_end
  AND last_seen_hour >= date_trunc('hour', CAST(:context_start AS timestamptz) AT TIME ZONE 'UTC')
ORDER BY cid, callsign, logon_time;
