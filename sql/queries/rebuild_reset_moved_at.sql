-- flights.moved_at of the connections alive at :start, as it was at :start: the time of their last
-- track position before it (a track row is appended exactly when moved_at is set:
-- append_moved_positions.sql). Without one (track history dropped), the stored value if older.
-- Runs before the rest of the reset, while last_seen still finds these rows.
-- :start  timestamptz  the window's start
UPDATE vatstats.flights AS f
SET moved_at = coalesce(
    (SELECT max(p.observed_at) FROM vatstats.flight_positions AS p
     WHERE p.cid = f.cid AND p.callsign = f.callsign AND p.logon_time = f.logon_time
       AND p.observed_at >= f.first_seen AND p.observed_at < :start),
    CASE WHEN f.moved_at < :start THEN f.moved_at END)
WHERE f.last_seen_hour >= date_trunc('hour', CAST(:start AS timestamptz) AT TIME ZONE 'UTC')
  AND f.last_seen >= :start AND f.first_seen < :start;
