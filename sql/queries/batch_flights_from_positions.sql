-- The batch's flights rows (one a connection in stage_flights: its last row in the batch) take from
-- all of the batch's positions what one-at-a-time writing would have merged into them: first_seen,
-- the earliest snapshot that saw it; max_altitude_ft, the highest altitude; moved_at, its last
-- position that moved (batch_judge_positions.sql), or -infinity when none did, so that the merge
-- (GREATEST with the stored moved_at, storage/tick_batch.py BATCH_FLIGHTS) keeps the stored one.
-- A connection new to the warehouse always moved: its first position counts as a move.
UPDATE stage_flights AS s
SET first_seen = p.first_seen,
    max_altitude_ft = p.max_altitude_ft,
    moved_at = coalesce(m.last_moved, '-infinity')
FROM (
    SELECT cid, callsign, logon_time, min(observed_at) AS first_seen, max(altitude_ft) AS max_altitude_ft
    FROM stage_batch_positions
    GROUP BY cid, callsign, logon_time
) AS p
LEFT JOIN stage_batch_moved AS m USING (cid, callsign, logon_time)
WHERE p.cid = s.cid AND p.callsign = s.callsign AND p.logon_time = s.logon_time
