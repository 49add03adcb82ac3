-- The batch's track rows, and each connection's last move: the rule of flights_moved_at.sql applied
-- to each position against the one before it, the connection's previous position in the batch or,
-- for its first, the stored flights row (the position of the last snapshot that saw it). A
-- connection nobody has stored moved when first seen. The positions that moved are the track rows
-- one-at-a-time writing appends (append_moved_positions.sql); each connection's last goes to
-- stage_batch_moved for flights.moved_at (batch_flights_from_positions.sql).
-- storage/tick_batch.py drops the ON CONFLICT clause when no track row of the batch can be stored
-- already (batch_newest_stored.sql): a plain insert of a batch's rows takes half the time.
-- :parked_altitude_jitter_ft  integer  core/snapshot_rows.py PARKED_ALTITUDE_JITTER_FT
WITH judged AS (
    SELECT p.cid, p.callsign, p.logon_time, p.observed_at, p.latitude, p.longitude, p.altitude_ft,
           p.groundspeed_kt, p.heading_deg,
           NOT before.known
           OR NOT (
                (p.latitude, p.longitude, p.altitude_ft, p.groundspeed_kt)
                    = (before.latitude, before.longitude, before.altitude_ft, before.groundspeed_kt)
             OR (p.groundspeed_kt = 0 AND before.groundspeed_kt = 0
                 AND p.latitude = before.latitude AND p.longitude = before.longitude
                 AND abs(p.altitude_ft - before.altitude_ft) <= :parked_altitude_jitter_ft)
           ) AS moved
    FROM (
        SELECT b.*,
               lag(b.latitude) OVER w AS before_latitude,
               lag(b.longitude) OVER w AS before_longitude,
               lag(b.altitude_ft) OVER w AS before_altitude_ft,
               lag(b.groundspeed_kt) OVER w AS before_groundspeed_kt,
               row_number() OVER w = 1 AS first_in_batch
        FROM stage_batch_positions AS b
        WINDOW w AS (PARTITION BY b.cid, b.callsign, b.logon_time ORDER BY b.observed_at)
    ) AS p
    LEFT JOIN vatstats.flights AS f
      ON p.first_in_batch AND f.cid = p.cid AND f.callsign = p.callsign AND f.logon_time = p.logon_time
    CROSS JOIN LATERAL (
        SELECT CASE WHEN p.first_in_batch THEN f.latitude ELSE p.before_latitude END AS latitude,
               CASE WHEN p.first_in_batch THEN f.longitude ELSE p.before_longitude END AS longitude,
               CASE WHEN p.first_in_batch THEN f.altitude_ft ELSE p.before_altitude_ft END AS altitude_ft,
               CASE WHEN p.first_in_batch THEN f.groundspeed_kt ELSE p.before_groundspeed_kt END AS groundspeed_kt,
               NOT p.first_in_batch OR f.cid IS NOT NULL AS known
    ) AS before
),
kept AS (
    INSERT INTO vatstats.flight_positions
        (cid, callsign, logon_time, observed_at, latitude, longitude, altitude_ft, groundspeed_kt, heading_deg)
    SELECT cid, callsign, logon_time, observed_at, latitude, longitude, altitude_ft, groundspeed_kt, heading_deg
    FROM judged
    WHERE moved
    ON CONFLICT DO NOTHING
)
INSERT INTO stage_batch_moved (cid, callsign, logon_time, last_moved)
SELECT cid, callsign, logon_time, max(observed_at)
FROM judged
WHERE moved
GROUP BY cid, callsign, logon_time
