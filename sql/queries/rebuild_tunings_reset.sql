-- Step 1 of a rebuild for the tuning runs (storage/rebuild.py): leave what the window's snapshots
-- decide to be written again by their ticks, as live ingestion wrote it tick by tick.
-- 1. A run reaching past the window keeps its part after it as a run of its own, from the first
--    snapshot with transceivers at or after :end (:after_end); the finish joins it back to the
--    rebuilt run it continues, where live ingestion would have extended that run. (Same key and
--    first_seen as another connection's run on other sites is not possible but for a controller
--    whose two site sets share a frequency and both start there: that part is then not kept.)
-- 2. Runs starting inside the window are deleted: its ticks start them again.
-- 3. Runs from before the window reaching into it are cut back to the last snapshot with
--    transceivers before it (:before_start): the window's first tick extends them again.
-- The rows are found through the last_seen_hour index (migration 012), as the tick finds them.
-- :start, :end  timestamptz  the window;  :before_start, :after_end  timestamptz (or NULL, none)
INSERT INTO vatstats.transceiver_tunings
    (cid, callsign, logon_time, is_pilot, frequency_hz, channel_hz, first_seen, last_seen,
     site_latitudes, site_longitudes)
SELECT cid, callsign, logon_time, is_pilot, frequency_hz, channel_hz, CAST(:after_end AS timestamptz), last_seen,
       site_latitudes, site_longitudes
FROM vatstats.transceiver_tunings
WHERE last_seen_hour >= date_trunc('hour', CAST(:end AS timestamptz) AT TIME ZONE 'UTC')
  AND last_seen >= :end AND first_seen < :end
ON CONFLICT DO NOTHING;
DELETE FROM vatstats.transceiver_tunings
WHERE last_seen_hour >= date_trunc('hour', CAST(:start AS timestamptz) AT TIME ZONE 'UTC')
  AND last_seen >= :start AND first_seen >= :start AND first_seen < :end;
UPDATE vatstats.transceiver_tunings SET last_seen = :before_start
WHERE last_seen_hour >= date_trunc('hour', CAST(:start AS timestamptz) AT TIME ZONE 'UTC')
  AND last_seen >= :start AND first_seen < :start;
