-- Movements per airport, UTC day and hour, movement type and aircraft type, for one window.
-- Unknown aircraft types count under 'ZZZZ' (ICAO's designator for a type not listed).
-- :start, :end  timestamptz  the partition window (whole UTC days)
SELECT (m.at AT TIME ZONE 'UTC')::date                          AS date,
       m.airport,
       extract(hour FROM m.at AT TIME ZONE 'UTC')::smallint     AS hour,
       m.movement_type,
       coalesce(nullif(m.aircraft_type, ''), 'ZZZZ')             AS aircraft_type,
       count(*)::integer                                         AS movements
FROM vatstats.traffic_movements AS m
WHERE m.at >= :start AND m.at < :end
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5;
