-- Connections with positions in the window but no `flights` row that track_connections.sql finds
-- (not expected of live ingestion; a hand-loaded or damaged table): their callsigns, for the keys
-- (cid, logon_time, hash) the loader could not place.
-- :context_start, :lookahead_end  timestamptz;  :cids  integer[];  :logon_times  timestamptz[]
SELECT DISTINCT cid, callsign, logon_time, hashtext(callsign) AS callsign_hash
FROM vatstats.flight_positions
WHERE observed_at >= :context_start AND observed_at < :lookahead_end
  AND cid = ANY(:cids) AND logon_time = ANY(:logon_times)
ORDER BY cid, callsign, logon_time;
