-- The read API's sector load and staffing per sector and UTC hour (sector_hourly_load) over a range
-- of days, optionally for one sector, one page in primary key order.
-- :start, :end                              date: the days, inclusive
-- :sector                                   text: one sector's name, or NULL for every sector
-- :after_date, :after_sector, :after_hour   the key of the previous page's last row (all NULL: first page)
-- :limit                                    integer: rows to return (one more than shown)
SELECT date, hour, sector, aircraft, entries, aircraft_minutes, peak_aircraft, peak_at, staffed_minutes,
       unstaffed_aircraft_minutes, airspace_version
FROM vatstats.sector_hourly_load
WHERE date BETWEEN CAST(:start AS date) AND CAST(:end AS date)
  AND (CAST(:sector AS text) IS NULL OR sector = CAST(:sector AS text))
  AND (CAST(:after_date AS date) IS NULL
       OR (date, sector, hour) > (CAST(:after_date AS date), CAST(:after_sector AS text),
                                  CAST(:after_hour AS smallint)))
ORDER BY date, sector, hour
LIMIT :limit
