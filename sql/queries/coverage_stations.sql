-- Controller tuning runs of a window, of controllers providing service (not an ATIS, not an observer),
-- with their facility, range and transceiver sites: who was on station (core/coverage_hourly.py).
-- A condition on last_seen is paired with last_seen_hour, which the index serves (migration 012).
-- :window_start, :window_end  timestamptz
SELECT t.first_seen, t.last_seen, a.facility, a.visual_range, t.site_latitudes, t.site_longitudes
FROM vatstats.transceiver_tunings t
JOIN vatstats.atc_positions a ON a.cid = t.cid AND a.callsign = t.callsign AND a.logon_time = t.logon_time
WHERE NOT t.is_pilot AND NOT a.is_atis AND a.facility BETWEEN 1 AND 6
  AND t.last_seen >= :window_start
  AND t.last_seen_hour >= date_trunc('hour', CAST(:window_start AS timestamptz) AT TIME ZONE 'UTC')
  AND t.first_seen < :window_end
