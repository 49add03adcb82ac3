-- The read API's network figures per UTC day over a range of days, one page in date order.
-- :start, :end    date: the days, inclusive
-- :after_date     date: the previous page's last day (NULL: first page)
-- :limit          integer: rows to return (one more than shown)
SELECT date, unique_pilots, unique_controllers, peak_pilots, peak_pilots_at, peak_controllers,
       peak_controllers_at, snapshots_ingested, snapshots_missed, busiest_airports
FROM vatstats.network_daily_stats
WHERE date BETWEEN CAST(:start AS date) AND CAST(:end AS date)
  AND (CAST(:after_date AS date) IS NULL OR date > CAST(:after_date AS date))
ORDER BY date
LIMIT :limit
