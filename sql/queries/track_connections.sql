-- Flight-plan facts of the connections seen in a window (one row each, from `flights`).
-- :context_start, :lookahead_end  timestamptz  the same range as track_window.sql
-- The condition on last_seen_hour repeats the one on last_seen for the index (migration 005).
SELECT cid, callsign, logon_time, aircraft_type, departure, arrival, flight_rules
FROM vatstats.flights
WHERE last_seen >= :context_start AND first_seen < :lookahead_end
  AND last_seen_hour >= date_trunc('hour', CAST(:context_start AS timestamptz) AT TIME ZONE 'UTC');
