-- Plausibility of a window's movements: arrivals detected against pilot connections seen.
-- Every arrival belongs to a connection seen that day and most connections land once at most;
-- touch-and-go circuits are the one honest exception and a small share of any day, so more
-- arrivals than connections points at a detection fault (flapping between ground and air).
-- :start, :end  timestamptz  the window (whole UTC days)
-- The condition on last_seen_hour repeats the one on last_seen for the index (migration 005).
SELECT
    (SELECT count(*) FROM vatstats.traffic_movements
      WHERE movement_type = 'arrival' AND at >= :start AND at < :end)  AS arrivals,
    (SELECT count(*) FROM vatstats.flights
      WHERE last_seen >= :start AND first_seen < :end
        AND last_seen_hour >= date_trunc('hour', CAST(:start AS timestamptz) AT TIME ZONE 'UTC'))
                                                                       AS flights_seen;
