-- Start a run for each staged tuning no stored run covers: one just extended to this tick, or one
-- stored by an earlier write of this same snapshot (so writing a snapshot again adds nothing). A
-- run that covers the tick was last seen at it or later: the last_seen_hour index finds those.
-- :observed_at  timestamptz  the tick's update_timestamp: first and last seen of the new runs
INSERT INTO vatstats.transceiver_tunings
    (cid, callsign, logon_time, is_pilot, frequency_hz, channel_hz, first_seen, last_seen,
     site_latitudes, site_longitudes)
SELECT s.cid, s.callsign, s.logon_time, s.is_pilot, s.frequency_hz, s.channel_hz, :observed_at, :observed_at,
       s.site_latitudes, s.site_longitudes
FROM stage_tuning_connections AS s
WHERE NOT EXISTS (
    SELECT 1 FROM vatstats.transceiver_tunings AS r
    WHERE r.last_seen_hour >= date_trunc('hour', CAST(:observed_at AS timestamptz) AT TIME ZONE 'UTC')
      AND r.last_seen >= :observed_at AND r.first_seen <= :observed_at
      AND r.cid = s.cid AND r.callsign = s.callsign AND r.logon_time = s.logon_time
      AND r.frequency_hz = s.frequency_hz
      AND r.site_latitudes IS NOT DISTINCT FROM s.site_latitudes
      AND r.site_longitudes IS NOT DISTINCT FROM s.site_longitudes
)
ON CONFLICT DO NOTHING
