-- Pilot connections online during a window, with their time online (core/coverage_hourly.py).
-- A condition on last_seen is paired with last_seen_hour, which the index serves (migration 005).
-- :window_start, :window_end  timestamptz
SELECT cid, callsign, logon_time, hashtext(callsign) AS callsign_hash, first_seen, last_seen
FROM vatstats.flights
WHERE last_seen >= :window_start
  AND last_seen_hour >= date_trunc('hour', CAST(:window_start AS timestamptz) AT TIME ZONE 'UTC')
  AND first_seen < :window_end
