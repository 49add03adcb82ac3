-- The candidates for ATC contacts in a window (storage/contacts.py, core/contacts.py): every overlap in
-- time of a pilot's tuning run with a controller's on the same channel, the controller one who can
-- provide service (not an ATIS, not an observer: core/coverage_rules.py provides_service). Whether the
-- aircraft was in the station's range is decided per snapshot afterwards, from the track.
-- Conditions on last_seen are paired with last_seen_hour, which the index serves (migration 012).
-- :window_start, :window_end  timestamptz
WITH runs AS (
    SELECT cid, callsign, logon_time, is_pilot, channel_hz, first_seen, last_seen, site_latitudes, site_longitudes
    FROM vatstats.transceiver_tunings
    WHERE last_seen >= :window_start
      AND last_seen_hour >= date_trunc('hour', CAST(:window_start AS timestamptz) AT TIME ZONE 'UTC')
      AND first_seen < :window_end
),
stations AS (
    SELECT r.*, a.facility, a.visual_range
    FROM runs r
    JOIN vatstats.atc_positions a
      ON a.cid = r.cid AND a.callsign = r.callsign AND a.logon_time = r.logon_time
    WHERE NOT r.is_pilot AND NOT a.is_atis AND a.facility BETWEEN 1 AND 6
)
SELECT p.cid AS pilot_cid, p.callsign AS pilot_callsign, p.logon_time AS pilot_logon_time,
       hashtext(p.callsign) AS pilot_callsign_hash,
       s.cid AS atc_cid, s.callsign AS atc_callsign, s.logon_time AS atc_logon_time,
       s.facility, s.visual_range, p.channel_hz,
       GREATEST(p.first_seen, s.first_seen) AS overlap_start,
       LEAST(p.last_seen, s.last_seen) AS overlap_end,
       s.site_latitudes, s.site_longitudes
FROM runs p
JOIN stations s ON s.channel_hz = p.channel_hz AND s.first_seen <= p.last_seen AND p.first_seen <= s.last_seen
WHERE p.is_pilot
