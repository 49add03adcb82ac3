-- Each listed pilot connection's last track point before a window: where an aircraft stood that has
-- not moved since (the track keeps only points that moved). Bounded below by the logon time, so
-- only the day partitions since the logon are searched.
-- :cids integer[], :callsigns text[], :logon_times timestamptz[]  the connections, element by element
-- :window_start  timestamptz
SELECT k.cid, k.logon_time, hashtext(k.callsign) AS callsign_hash, p.observed_at, p.latitude, p.longitude,
       p.altitude_ft
FROM unnest(CAST(:cids AS integer[]), CAST(:callsigns AS text[]), CAST(:logon_times AS timestamptz[]))
     AS k(cid, callsign, logon_time)
CROSS JOIN LATERAL (
    SELECT observed_at, latitude, longitude, altitude_ft
    FROM vatstats.flight_positions fp
    WHERE fp.cid = k.cid AND fp.callsign = k.callsign AND fp.logon_time = k.logon_time
      AND fp.observed_at >= k.logon_time AND fp.observed_at < :window_start
    ORDER BY fp.observed_at DESC
    LIMIT 1
) p
