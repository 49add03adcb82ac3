-- Step 3 of a rebuild for the tuning runs (storage/rebuild.py): a run the window's ticks left open
-- at its last snapshot with transceivers (:extend_from) is continued by the kept part after the
-- window (starting at :after_end, rebuild_tunings_reset.sql) of the same connection, frequency and
-- sites, exactly when live ingestion's tick at :after_end would have extended it
-- (core/tuning_runs.py extendable_run_end gives :extend_from, or no join at all). The part is then
-- folded into the run: one row, last seen where the part was.
-- :extend_from, :after_end  timestamptz
WITH folded AS (
    DELETE FROM vatstats.transceiver_tunings AS part
    USING vatstats.transceiver_tunings AS run
    WHERE part.first_seen = :after_end
      AND part.last_seen_hour >= date_trunc('hour', CAST(:after_end AS timestamptz) AT TIME ZONE 'UTC')
      AND run.last_seen = :extend_from
      AND run.last_seen_hour = date_trunc('hour', CAST(:extend_from AS timestamptz) AT TIME ZONE 'UTC')
      AND run.cid = part.cid AND run.callsign = part.callsign AND run.logon_time = part.logon_time
      AND run.frequency_hz = part.frequency_hz
      AND run.site_latitudes IS NOT DISTINCT FROM part.site_latitudes
      AND run.site_longitudes IS NOT DISTINCT FROM part.site_longitudes
    RETURNING run.cid, run.callsign, run.logon_time, run.frequency_hz, run.first_seen, part.last_seen
)
UPDATE vatstats.transceiver_tunings AS run
SET last_seen = folded.last_seen
FROM folded
WHERE run.cid = folded.cid AND run.callsign = folded.callsign AND run.logon_time = folded.logon_time
  AND run.frequency_hz = folded.frequency_hz AND run.first_seen = folded.first_seen;
