-- The read API's completed flights landed in a range of UTC days, in landing order, one page
-- (index flight_summaries_landing_at_idx).
-- :range_start, :range_end   timestamptz: the days' bounds, [range_start, range_end)
-- :after_landing_at, :after_cid, :after_callsign, :after_logon_time
--                            the key of the previous page's last row (all NULL: first page)
-- :limit                     integer: rows to return (one more than shown)
SELECT cid, callsign, logon_time, landing_at, aircraft_type, flight_rules, filed_departure, filed_arrival,
       departure, arrival, off_block_at, takeoff_at, on_block_at, airborne_minutes, distance_nm,
       max_altitude_ft, diverted, atc_covered_seconds, atc_covered_share, atc_airborne_covered_seconds,
       atc_airborne_covered_share, covered_fss_seconds, covered_delivery_seconds, covered_ground_seconds,
       covered_tower_seconds, covered_approach_seconds, covered_centre_seconds
FROM vatstats.flight_summaries
WHERE landing_at >= CAST(:range_start AS timestamptz) AND landing_at < CAST(:range_end AS timestamptz)
  AND (CAST(:after_landing_at AS timestamptz) IS NULL
       OR (landing_at, cid, callsign, logon_time)
          > (CAST(:after_landing_at AS timestamptz), CAST(:after_cid AS integer), CAST(:after_callsign AS text),
             CAST(:after_logon_time AS timestamptz)))
ORDER BY landing_at, cid, callsign, logon_time
LIMIT :limit
