-- flights.moved_at in the flights upsert (an expression, not a statement: storage/tables.py puts it
-- in the ON CONFLICT DO UPDATE; t = the stored row, EXCLUDED = this snapshot's).
-- A parked aircraft reports the same coordinates every 15 s for hours; its track rows would be
-- mostly repeats telling movement detection nothing. moved_at keeps the moment its position last
-- changed, and append_moved_positions.sql stores a track row only for that moment. The new
-- position is compared with the stored flights row (t), the connection's position in the snapshot
-- before, whether that one became a track row or not. The rule is core/snapshot_rows.py's
-- moved_positions (vatstats_tests/storage/test_moved_positions.py checks that both agree, over
-- single ticks and over many):
--   not moved = same latitude, longitude, altitude and groundspeed, or standing still (0 kt now
--               and before) at the same coordinates with the altitude within :parked_altitude_jitter_ft.
-- A snapshot no newer than the stored one moves nothing.
CASE
    WHEN EXCLUDED.last_seen <= t.last_seen THEN t.moved_at
    WHEN (EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.altitude_ft, EXCLUDED.groundspeed_kt)
         = (t.latitude, t.longitude, t.altitude_ft, t.groundspeed_kt) THEN t.moved_at
    WHEN EXCLUDED.groundspeed_kt = 0 AND t.groundspeed_kt = 0
         AND EXCLUDED.latitude = t.latitude AND EXCLUDED.longitude = t.longitude
         AND abs(EXCLUDED.altitude_ft - t.altitude_ft) <= :parked_altitude_jitter_ft THEN t.moved_at
    ELSE EXCLUDED.last_seen
END
