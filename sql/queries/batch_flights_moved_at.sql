-- The batch's flights rows (one a connection, in stage_flights) take moved_at from the batch: its
-- last position that moved or, when none did, the stored row's moved_at (it stood still throughout).
UPDATE stage_flights AS s
SET moved_at = coalesce(
    (SELECT max(m.observed_at) FROM stage_batch_moved AS m
      WHERE m.cid = s.cid AND m.callsign = s.callsign AND m.logon_time = s.logon_time),
    (SELECT f.moved_at FROM vatstats.flights AS f
      WHERE f.cid = s.cid AND f.callsign = s.callsign AND f.logon_time = s.logon_time),
    s.moved_at)
