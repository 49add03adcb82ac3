-- The fallback for flights alive at :start that no raw snapshot of the hour before it shows (that
-- day's snapshots no longer held): position and last_seen from their last track row before :start.
-- Exact but for a parked aircraft whose altitude wandered within the parked jitter after that row.
-- Rows without any track row before :start are last seen at first_seen (rebuild_reset_unseen.sql).
-- :start  timestamptz  the window's start
WITH alive AS (
    SELECT cid, callsign, logon_time, first_seen FROM vatstats.flights
    WHERE last_seen_hour >= date_trunc('hour', CAST(:start AS timestamptz) AT TIME ZONE 'UTC')
      AND last_seen >= :start AND first_seen < :start
), last_track AS (
    SELECT DISTINCT ON (p.cid, p.callsign, p.logon_time)
           p.cid, p.callsign, p.logon_time, p.observed_at, p.latitude, p.longitude, p.altitude_ft,
           p.groundspeed_kt, p.heading_deg
    FROM alive AS a
    JOIN vatstats.flight_positions AS p
      ON p.cid = a.cid AND p.callsign = a.callsign AND p.logon_time = a.logon_time
     AND p.observed_at >= a.first_seen AND p.observed_at < :start
    ORDER BY p.cid, p.callsign, p.logon_time, p.observed_at DESC
)
UPDATE vatstats.flights AS f
SET latitude = t.latitude, longitude = t.longitude, altitude_ft = t.altitude_ft,
    groundspeed_kt = t.groundspeed_kt, heading_deg = t.heading_deg, last_seen = t.observed_at
FROM last_track AS t
WHERE f.cid = t.cid AND f.callsign = t.callsign AND f.logon_time = t.logon_time;
