-- The read API's track of one pilot connection over one UTC day (flight_positions: the first position
-- and every one that moved), in time order, one page. Reads one day partition through the primary key.
-- :cid, :callsign, :logon_time  integer, text, timestamptz: the connection (flights' primary key)
-- :day_start, :day_end          timestamptz: the UTC day, [day_start, day_end)
-- :after_observed_at            timestamptz: the previous page's last position time (NULL: first page)
-- :limit                        integer: rows to return (one more than shown)
SELECT observed_at, latitude, longitude, altitude_ft, groundspeed_kt, heading_deg
FROM vatstats.flight_positions
WHERE cid = :cid AND callsign = :callsign AND logon_time = CAST(:logon_time AS timestamptz)
  AND observed_at >= CAST(:day_start AS timestamptz) AND observed_at < CAST(:day_end AS timestamptz)
  AND (CAST(:after_observed_at AS timestamptz) IS NULL OR observed_at > CAST(:after_observed_at AS timestamptz))
ORDER BY observed_at
LIMIT :limit
