-- The read API's live controllers and ATIS stations: connections in the latest stored snapshot (view
-- current_atc), one page in key order (the table's primary key).
-- :after_callsign, :after_cid, :after_logon_time  text, integer, timestamptz: the key of the previous
--                                                 page's last row (all NULL for the first page)
-- :limit                                          integer: rows to return (one more than shown)
SELECT callsign, cid, logon_time, name, frequency_khz, facility, rating, server, visual_range,
       is_atis, atis_code, text_atis, last_updated, first_seen, last_seen
FROM vatstats.current_atc
WHERE CAST(:after_callsign AS text) IS NULL
   OR (callsign, cid, logon_time) > (CAST(:after_callsign AS text), CAST(:after_cid AS integer),
                                     CAST(:after_logon_time AS timestamptz))
ORDER BY callsign, cid, logon_time
LIMIT :limit
