-- Append this tick's track positions worth keeping, taken from the flights rows staged by the
-- flights upsert just before, in the same transaction (so the rows are not sent twice): a
-- connection's first position, and every position that moved (flights.moved_at, set by the upsert:
-- see flights_moved_at.sql). A snapshot older than the stored flight (a late replay) is not judged:
-- all its positions are kept rather than any lost. A position already stored (the same snapshot
-- written again) is skipped by the conflict clause.
INSERT INTO vatstats.flight_positions
    (cid, callsign, logon_time, observed_at, latitude, longitude, altitude_ft, groundspeed_kt, heading_deg)
SELECT s.cid, s.callsign, s.logon_time, s.last_seen, s.latitude, s.longitude, s.altitude_ft,
       s.groundspeed_kt, s.heading_deg
FROM stage_flights AS s
JOIN vatstats.flights AS f
  ON f.cid = s.cid AND f.callsign = s.callsign AND f.logon_time = s.logon_time
WHERE f.moved_at = s.last_seen
   OR f.last_seen > s.last_seen
ON CONFLICT DO NOTHING;
