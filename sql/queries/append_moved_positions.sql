-- Append the staged track positions worth keeping: a connection's first position, and every
-- position that moved since the one stored in vatstats.flights. A parked aircraft reports the
-- same coordinates every 15 s for hours; repeating them would make it most of the track table
-- while telling movement detection nothing. The rule is core/snapshot_rows.py's moved_positions
-- (its tests check that both agree):
--   unchanged = same latitude, longitude, altitude and groundspeed, or standing still (0 kt now
--               and before) at the same coordinates with the altitude within :parked_altitude_jitter_ft.
-- Only a flights row last seen BEFORE the position is compared with: run after this tick's
-- flights upsert, every position is kept rather than any lost. A position already stored (the
-- same snapshot written again) is skipped by the conflict clause.
INSERT INTO vatstats.flight_positions
    (cid, callsign, logon_time, observed_at, latitude, longitude, altitude_ft, groundspeed_kt, heading_deg)
SELECT s.cid, s.callsign, s.logon_time, s.observed_at, s.latitude, s.longitude, s.altitude_ft,
       s.groundspeed_kt, s.heading_deg
FROM stage_flight_positions AS s
LEFT JOIN vatstats.flights AS f
       ON f.cid = s.cid AND f.callsign = s.callsign AND f.logon_time = s.logon_time
      AND f.last_seen < s.observed_at
WHERE f.cid IS NULL
   OR NOT (
          (s.latitude, s.longitude, s.altitude_ft, s.groundspeed_kt)
              = (f.latitude, f.longitude, f.altitude_ft, f.groundspeed_kt)
       OR (s.groundspeed_kt = 0 AND f.groundspeed_kt = 0
           AND s.latitude = f.latitude AND s.longitude = f.longitude
           AND abs(s.altitude_ft - f.altitude_ft) <= :parked_altitude_jitter_ft)
   )
ON CONFLICT DO NOTHING;
