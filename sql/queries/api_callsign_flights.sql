-- The read API's pilot connections under one callsign, oldest first, one page (index
-- flights_callsign_logon_idx, migration 010).
-- :callsign                     text: the callsign, as the feed spells it (upper case)
-- :after_logon_time, :after_cid timestamptz, integer: the key of the previous page's last row (NULL: first page)
-- :limit                        integer: rows to return (one more than shown)
SELECT cid, callsign, logon_time, aircraft_type, flight_rules, departure, arrival,
       first_seen, last_seen, max_altitude_ft
FROM vatstats.flights
WHERE callsign = :callsign
  AND (CAST(:after_logon_time AS timestamptz) IS NULL
       OR (logon_time, cid) > (CAST(:after_logon_time AS timestamptz), CAST(:after_cid AS integer)))
ORDER BY logon_time, cid
LIMIT :limit
