-- The connections alive when the window starts (first seen before :start, last seen at or after
-- it), whose rows are reset to their state at :start before the window is replayed. Keys in each
-- table's own key order.
-- :start  timestamptz  the window's start
SELECT 'flights' AS table_name, cid, callsign, logon_time
FROM vatstats.flights
WHERE last_seen_hour >= date_trunc('hour', CAST(:start AS timestamptz) AT TIME ZONE 'UTC')
  AND last_seen >= :start AND first_seen < :start
UNION ALL
SELECT 'atc_positions', cid, callsign, logon_time
FROM vatstats.atc_positions
WHERE last_seen >= :start AND first_seen < :start;
