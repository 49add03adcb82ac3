-- Stays of one window that fall outside their flight's connection (before its logon, or after it
-- was last seen): each would be an aircraft counted where it was not.
-- :window_start, :window_end  timestamptz
SELECT count(*) AS outside
FROM vatstats.sector_occupancy AS o
LEFT JOIN vatstats.flights AS f USING (cid, callsign, logon_time)
WHERE o.entered_at >= :window_start AND o.entered_at < :window_end
  AND (f.cid IS NULL
       OR o.entered_at < least(f.logon_time, f.first_seen) - interval '1 second'
       OR o.exited_at > f.last_seen + interval '1 second');
