-- The contacts of the listed pilot connections, on every day they were online (flight_summaries'
-- coverage: core/flight_coverage.py), with each connection's time online from flights. The
-- connections come element by element in three arrays; the primary key's prefix serves each.
-- :cids integer[], :callsigns text[], :logon_times timestamptz[]
SELECT k.cid, k.callsign, k.logon_time, f.last_seen, c.facility, c.started_at, c.ended_at
FROM unnest(CAST(:cids AS integer[]), CAST(:callsigns AS text[]), CAST(:logon_times AS timestamptz[]))
     AS k(cid, callsign, logon_time)
JOIN vatstats.flights f ON f.cid = k.cid AND f.callsign = k.callsign AND f.logon_time = k.logon_time
LEFT JOIN vatstats.atc_contacts c
       ON c.pilot_cid = k.cid AND c.pilot_callsign = k.callsign AND c.pilot_logon_time = k.logon_time
