-- The batch's track rows: the positions that moved (batch_judge_positions.sql).
INSERT INTO vatstats.flight_positions
    (cid, callsign, logon_time, observed_at, latitude, longitude, altitude_ft, groundspeed_kt, heading_deg)
SELECT b.cid, b.callsign, b.logon_time, b.observed_at, b.latitude, b.longitude, b.altitude_ft,
       b.groundspeed_kt, b.heading_deg
FROM stage_batch_positions AS b
JOIN stage_batch_moved AS m USING (cid, callsign, logon_time, observed_at)
ON CONFLICT DO NOTHING
