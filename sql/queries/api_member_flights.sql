-- The read API's pilot connections of one member, oldest first, one page (the primary key starts
-- with cid, so this reads one member's entries of its index).
-- :cid                               integer: the member's VATSIM id
-- :after_logon_time, :after_callsign timestamptz, text: the key of the previous page's last row (NULL: first page)
-- :limit                             integer: rows to return (one more than shown)
SELECT cid, callsign, logon_time, aircraft_type, flight_rules, departure, arrival,
       first_seen, last_seen, max_altitude_ft
FROM vatstats.flights
WHERE cid = :cid
  AND (CAST(:after_logon_time AS timestamptz) IS NULL
       OR (logon_time, callsign) > (CAST(:after_logon_time AS timestamptz), CAST(:after_callsign AS text)))
ORDER BY logon_time, callsign
LIMIT :limit
