-- Pairs of stays of one connection in two sectors at once, where the two sectors come from the same
-- file and neither covers the other (vatSys ResponsibleSectors): sectors of one level must not
-- overlap, so such a pair means overlapping volumes in the files or a placement error.
-- :window_start, :window_end  timestamptz
SELECT count(*) AS overlapping
FROM vatstats.sector_occupancy AS a
JOIN vatstats.sector_occupancy AS b
  ON a.cid = b.cid AND a.callsign = b.callsign AND a.logon_time = b.logon_time AND a.sector < b.sector
 AND a.entered_at < b.exited_at AND b.entered_at < a.exited_at
JOIN vatstats.airspace_sectors AS sa ON sa.name = a.sector
JOIN vatstats.airspace_sectors AS sb ON sb.name = b.sector
WHERE a.entered_at >= :window_start AND a.entered_at < :window_end
  AND sa.source_file = sb.source_file
  AND NOT (a.sector = ANY (sb.responsible_sectors) OR b.sector = ANY (sa.responsible_sectors))
  AND NOT EXISTS (  -- nor through a sector between them (ELW covers ARL, which covers SY_APP)
      SELECT 1 FROM vatstats.airspace_sectors AS mid
      WHERE (a.sector = ANY (mid.responsible_sectors) AND mid.name = ANY (sb.responsible_sectors))
         OR (b.sector = ANY (mid.responsible_sectors) AND mid.name = ANY (sa.responsible_sectors)));
