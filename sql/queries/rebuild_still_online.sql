-- Connections seen in the window that live ingestion may still be updating: first seen before the
-- window's end and last seen at or after :online_since (shortly before the newest stored snapshot).
-- Flights are found through the index on the hour of last_seen (migration 005).
-- :online_since  timestamptz  connections last seen since then count as online
-- :end           timestamptz  the window's end (exclusive)
SELECT
    (SELECT count(*) FROM vatstats.flights
     WHERE last_seen_hour >= date_trunc('hour', CAST(:online_since AS timestamptz) AT TIME ZONE 'UTC')
       AND last_seen >= :online_since AND first_seen < :end)
  + (SELECT count(*) FROM vatstats.atc_positions
     WHERE last_seen >= :online_since AND first_seen < :end) AS online;
