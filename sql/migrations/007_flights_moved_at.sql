-- flights.moved_at: when the connection's position last changed. The flights upsert maintains it
-- (sql/queries/flights_moved_at.sql) and the track positions are taken from the staged flights rows
-- whose moved_at is this snapshot's (sql/queries/append_moved_positions.sql): one COPY per tick fewer.
-- Nullable, so adding it rewrites nothing: connections last seen before this migration have none,
-- and one still online gets its moved_at the next time it moves.

ALTER TABLE vatstats.flights ADD COLUMN moved_at timestamptz;

COMMENT ON COLUMN vatstats.flights.moved_at IS 'When the position (latitude, longitude, altitude, groundspeed) last changed, parked altitude jitter aside; first_seen for a connection that never moved. NULL for connections last seen before migration 007.';
