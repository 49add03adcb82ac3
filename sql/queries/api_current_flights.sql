-- The read API's live pilots: connections in the latest stored snapshot (view current_flights), one
-- page in key order.
-- :after_cid, :after_callsign, :after_logon_time  integer, text, timestamptz: the key of the previous
--                                                 page's last row (all NULL for the first page)
-- :limit                                          integer: rows to return (the API asks one more than
--                                                 it shows, to know whether there is a next page)
SELECT cid, callsign, logon_time, name, server, pilot_rating, military_rating,
       latitude, longitude, altitude_ft, groundspeed_kt, heading_deg, transponder, qnh_mb,
       flight_rules, aircraft, aircraft_type, departure, arrival, alternate, cruise_tas_kt,
       planned_altitude_ft, deptime, enroute_time, route, remarks, revision_id, assigned_transponder,
       last_updated, first_seen, last_seen, max_altitude_ft
FROM vatstats.current_flights
WHERE CAST(:after_cid AS integer) IS NULL
   OR (cid, callsign, logon_time) > (CAST(:after_cid AS integer), CAST(:after_callsign AS text),
                                     CAST(:after_logon_time AS timestamptz))
ORDER BY cid, callsign, logon_time
LIMIT :limit
