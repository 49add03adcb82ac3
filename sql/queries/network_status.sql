-- The live picture in one round trip. Each figure is its own scalar subquery over its own table:
-- joining the tables (the old service's CROSS JOIN) would multiply the counts together.
-- :now                  timestamptz  the moment the figures describe (the age is measured from it)
-- :day_start, :day_end  timestamptz  that moment's UTC day
-- A condition on flights.last_seen is repeated on last_seen_hour for the index (migration 005).
WITH latest AS (SELECT max(update_timestamp) AS at FROM vatstats.feed_snapshots)
SELECT
    (SELECT at FROM latest)                                                          AS last_snapshot_at,
    extract(epoch FROM CAST(:now AS timestamptz) - (SELECT at FROM latest))::float8  AS last_snapshot_age_s,
    (SELECT count(*) FROM vatstats.current_flights)                                  AS pilots_online,
    (SELECT count(*) FROM vatstats.atc_positions
      WHERE last_seen = (SELECT at FROM latest) AND NOT is_atis)                     AS controllers_online,
    (SELECT count(*) FROM vatstats.flights
      WHERE last_seen >= :day_start AND first_seen < :day_end
        AND last_seen_hour >= date_trunc('hour', CAST(:day_start AS timestamptz) AT TIME ZONE 'UTC'))
                                                                                     AS flights_today,
    (SELECT count(*) FROM vatstats.traffic_movements
      WHERE at >= :day_start AND at < :day_end)                                      AS movements_today,
    (SELECT count(*) FROM vatstats.feed_snapshots
      WHERE update_timestamp >= :day_start AND update_timestamp < :day_end)          AS snapshots_today;
