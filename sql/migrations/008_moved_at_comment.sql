-- flights.moved_at's comment said "first_seen for a connection that never moved", which a late
-- replay of an older snapshot makes untrue (first_seen moves earlier, moved_at does not).
COMMENT ON COLUMN vatstats.flights.moved_at IS 'When the position (latitude, longitude, altitude, groundspeed) last changed from one snapshot to the next, parked altitude jitter aside; when the connection was first written if it never moved. NULL for connections last seen before migration 007.';
