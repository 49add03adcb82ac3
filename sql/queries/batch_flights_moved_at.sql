-- The batch's flights rows (one a connection, in stage_flights, sent with moved_at at the floor
-- storage/tick_batch.py sets) take the batch's last position that moved; BATCH_FLIGHTS' merge keeps
-- the stored moved_at for a connection that stood still throughout (GREATEST with the floor).
UPDATE stage_flights AS s
SET moved_at = m.last_moved
FROM (
    SELECT cid, callsign, logon_time, max(observed_at) AS last_moved
    FROM stage_batch_moved
    GROUP BY cid, callsign, logon_time
) AS m
WHERE m.cid = s.cid AND m.callsign = s.callsign AND m.logon_time = s.logon_time
