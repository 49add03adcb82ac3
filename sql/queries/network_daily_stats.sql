-- Network figures for one UTC day, within the stored region.
-- :day        date         the day
-- :day_start  timestamptz  its first instant (UTC midnight)
-- :day_end    timestamptz  the next day's first instant
-- A condition on flights.last_seen is repeated on last_seen_hour for the index (migration 005).
WITH snapshots AS (
    SELECT update_timestamp, pilots_stored, controllers_stored
    FROM vatstats.feed_snapshots
    WHERE update_timestamp >= :day_start AND update_timestamp < :day_end
),
-- Each of the day's snapshots with the one stored before it, which may be from the day before:
-- a gap across midnight counts on the day it ends. Looking back one day bounds the scan.
cadence AS (
    SELECT update_timestamp,
           lag(update_timestamp) OVER (ORDER BY update_timestamp) AS previous
    FROM vatstats.feed_snapshots
    WHERE update_timestamp >= CAST(:day_start AS timestamptz) - interval '1 day'
      AND update_timestamp < :day_end
),
peak_pilots AS (
    SELECT pilots_stored, update_timestamp FROM snapshots
    ORDER BY pilots_stored DESC, update_timestamp LIMIT 1
),
peak_controllers AS (
    SELECT controllers_stored, update_timestamp FROM snapshots
    ORDER BY controllers_stored DESC, update_timestamp LIMIT 1
),
busiest AS (
    SELECT airport, count(*) AS movements
    FROM vatstats.traffic_movements
    WHERE at >= :day_start AND at < :day_end
    GROUP BY airport
    ORDER BY movements DESC, airport
    LIMIT 10
)
SELECT
    CAST(:day AS date) AS date,
    (SELECT count(DISTINCT cid) FROM vatstats.flights
      WHERE last_seen >= :day_start AND first_seen < :day_end
        AND last_seen_hour >= date_trunc('hour', CAST(:day_start AS timestamptz) AT TIME ZONE 'UTC'))
                                                                                      AS unique_pilots,
    (SELECT count(DISTINCT cid) FROM vatstats.atc_positions
      WHERE NOT is_atis AND last_seen >= :day_start AND first_seen < :day_end)       AS unique_controllers,
    coalesce((SELECT pilots_stored FROM peak_pilots), 0)                             AS peak_pilots,
    (SELECT update_timestamp FROM peak_pilots)                                        AS peak_pilots_at,
    coalesce((SELECT controllers_stored FROM peak_controllers), 0)                   AS peak_controllers,
    (SELECT update_timestamp FROM peak_controllers)                                   AS peak_controllers_at,
    (SELECT count(*) FROM snapshots)                                                  AS snapshots_ingested,
    -- A gap of n x 15 s between consecutive snapshots means n - 1 snapshots were missed (the feed's
    -- own jitter of a few seconds rounds away).
    (SELECT coalesce(sum(greatest(round(extract(epoch FROM update_timestamp - previous) / 15.0) - 1, 0)), 0)
       FROM cadence
      WHERE update_timestamp >= :day_start AND previous IS NOT NULL)::integer          AS snapshots_missed,
    coalesce((SELECT jsonb_agg(jsonb_build_object('airport', airport, 'movements', movements)
                               ORDER BY movements DESC, airport) FROM busiest), '[]'::jsonb)::text
                                                                                      AS busiest_airports;
