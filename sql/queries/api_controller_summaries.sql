-- The read API's controller time per UTC day, position and member over a range of days, one page in
-- primary key order.
-- :start, :end                                date: the days, inclusive
-- :after_date, :after_callsign, :after_cid    the key of the previous page's last row (all NULL: first page)
-- :limit                                      integer: rows to return (one more than shown)
SELECT date, callsign, cid, facility, rating, sessions, minutes_online, aircraft_handled, peak_aircraft,
       peak_aircraft_at
FROM vatstats.controller_summaries
WHERE date BETWEEN CAST(:start AS date) AND CAST(:end AS date)
  AND (CAST(:after_date AS date) IS NULL
       OR (date, callsign, cid) > (CAST(:after_date AS date), CAST(:after_callsign AS text),
                                   CAST(:after_cid AS integer)))
ORDER BY date, callsign, cid
LIMIT :limit
