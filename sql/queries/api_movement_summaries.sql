-- The read API's movements per airport, UTC day, hour, movement type and aircraft type over a range of
-- days, optionally for one airport, one page in primary key order.
-- :start, :end       date: the days, inclusive
-- :airport           text: one airport's ICAO code, or NULL for every airport
-- :after_date, :after_airport, :after_hour, :after_movement_type, :after_aircraft_type
--                    the key of the previous page's last row (all NULL: first page)
-- :limit             integer: rows to return (one more than shown)
SELECT date, airport, hour, movement_type, aircraft_type, movements
FROM vatstats.movement_summaries
WHERE date BETWEEN CAST(:start AS date) AND CAST(:end AS date)
  AND (CAST(:airport AS text) IS NULL OR airport = CAST(:airport AS text))
  AND (CAST(:after_date AS date) IS NULL
       OR (date, airport, hour, movement_type, aircraft_type)
          > (CAST(:after_date AS date), CAST(:after_airport AS text), CAST(:after_hour AS smallint),
             CAST(:after_movement_type AS text), CAST(:after_aircraft_type AS text)))
ORDER BY date, airport, hour, movement_type, aircraft_type
LIMIT :limit
