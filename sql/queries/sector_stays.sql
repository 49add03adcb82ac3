-- The stays of one UTC day in sector_occupancy (they are cut at midnight, so entered_at decides).
-- :day_start, :day_end  timestamptz  the day's window
SELECT sector, cid, callsign, logon_time, entered_at, exited_at, entry, exit
FROM vatstats.sector_occupancy
WHERE entered_at >= :day_start AND entered_at < :day_end
ORDER BY sector, entered_at;
