-- The read API's coverage per UTC day, hour and area over a range of days, optionally one area (an
-- airport's ICAO code, or all for enroute), one page in primary key order.
-- :start, :end                                          date: the days, inclusive
-- :area                                                 text: one area, or NULL for every area
-- :after_date, :after_hour, :after_area_kind, :after_area  the previous page's last key (all NULL: first page)
-- :limit                                                integer: rows to return (one more than shown)
SELECT date, hour, area_kind, area, aircraft, aircraft_minutes, covered_aircraft_minutes,
       uncovered_aircraft_minutes, covered_share, staffed_minutes, peak_aircraft
FROM vatstats.coverage_hourly
WHERE date BETWEEN CAST(:start AS date) AND CAST(:end AS date)
  AND (CAST(:area AS text) IS NULL OR area = CAST(:area AS text))
  AND (CAST(:after_date AS date) IS NULL
       OR (date, hour, area_kind, area) > (CAST(:after_date AS date), CAST(:after_hour AS smallint),
                                           CAST(:after_area_kind AS text), CAST(:after_area AS text)))
ORDER BY date, hour, area_kind, area
LIMIT :limit
