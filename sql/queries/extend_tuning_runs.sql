-- Extend the open runs the tick continues: same connection, frequency and sites, last seen in the
-- snapshot the tick may continue from (core/tuning_runs.py extendable_run_end). They are found
-- through the last_seen_hour index (migration 012); each staged row matches at most one. Only
-- last_seen changes, an unindexed column: the updates are heap-only.
-- :observed_at  timestamptz  the tick's update_timestamp, the runs' new last_seen
-- :extend_from  timestamptz  the last_seen of the runs that may continue
UPDATE vatstats.transceiver_tunings AS t
SET last_seen = :observed_at
FROM stage_tuning_connections AS s
WHERE t.last_seen = :extend_from
  AND t.last_seen_hour = date_trunc('hour', CAST(:extend_from AS timestamptz) AT TIME ZONE 'UTC')
  AND t.cid = s.cid AND t.callsign = s.callsign AND t.logon_time = s.logon_time
  AND t.frequency_hz = s.frequency_hz
  AND t.site_latitudes IS NOT DISTINCT FROM s.site_latitudes
  AND t.site_longitudes IS NOT DISTINCT FROM s.site_longitudes
