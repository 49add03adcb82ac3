-- The read API's departures and arrivals per airport, UTC day and hour over all aircraft types (view
-- airport_hourly_movements) over a range of days, optionally for one airport, one page in key order.
-- :start, :end                               date: the days, inclusive
-- :airport                                   text: one airport's ICAO code, or NULL for every airport
-- :after_date, :after_airport, :after_hour   the key of the previous page's last row (all NULL: first page)
-- :limit                                     integer: rows to return (one more than shown)
SELECT date, airport, hour,
       coalesce(departures, 0)::integer AS departures, coalesce(arrivals, 0)::integer AS arrivals
FROM vatstats.airport_hourly_movements
WHERE date BETWEEN CAST(:start AS date) AND CAST(:end AS date)
  AND (CAST(:airport AS text) IS NULL OR airport = CAST(:airport AS text))
  AND (CAST(:after_date AS date) IS NULL
       OR (date, airport, hour) > (CAST(:after_date AS date), CAST(:after_airport AS text),
                                   CAST(:after_hour AS smallint)))
ORDER BY date, airport, hour
LIMIT :limit
