-- The latest stored position of each given connection, so unchanged (parked) positions are not
-- stored again. The three arrays are parallel: element i of each is one connection's key.
-- :cids       integer[]      pilot CIDs
-- :callsigns  text[]         callsigns
-- :logons     timestamptz[]  logon times
SELECT f.cid, f.callsign, f.logon_time, f.latitude, f.longitude, f.altitude_ft, f.groundspeed_kt
FROM unnest(CAST(:cids AS integer[]), CAST(:callsigns AS text[]), CAST(:logons AS timestamptz[]))
         AS k(cid, callsign, logon_time)
JOIN vatstats.flights AS f USING (cid, callsign, logon_time);
