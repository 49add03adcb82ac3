-- The batch's tuning runs (core/tick_batch.py tuning_runs): a run that may continue a stored one
-- (continues_from: the stored run's last_seen) extends it when one matches (same connection,
-- frequency and sites, found through the last_seen_hour index); every other run is inserted.
WITH extended AS (
    UPDATE vatstats.transceiver_tunings AS t
    SET last_seen = s.last_seen
    FROM stage_batch_runs AS s
    WHERE s.continues_from IS NOT NULL
      AND t.last_seen = s.continues_from
      AND t.last_seen_hour = date_trunc('hour', s.continues_from AT TIME ZONE 'UTC')
      AND t.cid = s.cid AND t.callsign = s.callsign AND t.logon_time = s.logon_time
      AND t.frequency_hz = s.frequency_hz
      AND t.site_latitudes IS NOT DISTINCT FROM s.site_latitudes
      AND t.site_longitudes IS NOT DISTINCT FROM s.site_longitudes
    RETURNING s.run
)
INSERT INTO vatstats.transceiver_tunings
    (cid, callsign, logon_time, is_pilot, frequency_hz, channel_hz, first_seen, last_seen,
     site_latitudes, site_longitudes)
SELECT s.cid, s.callsign, s.logon_time, s.is_pilot, s.frequency_hz, s.channel_hz, s.first_seen, s.last_seen,
       s.site_latitudes, s.site_longitudes
FROM stage_batch_runs AS s
WHERE s.run NOT IN (SELECT run FROM extended)
ON CONFLICT DO NOTHING
