-- The airports with movements in a window: the airport areas of coverage_hourly.
-- :window_start, :window_end  timestamptz
SELECT DISTINCT airport
FROM vatstats.traffic_movements
WHERE at >= :window_start AND at < :window_end
ORDER BY airport
