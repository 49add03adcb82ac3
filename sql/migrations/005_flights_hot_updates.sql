-- Keep the per-tick rewrite of every online flight cheap.
--
-- Each snapshot updates the flights row of every online pilot (position, last_seen). With an index
-- on last_seen, every such update changed an indexed column, so PostgreSQL wrote a new entry into
-- both of the table's indexes for each row and the dead versions piled up until vacuum. Indexing
-- the HOUR of last_seen instead leaves the indexed values unchanged for all but one tick an hour,
-- so the updates are heap-only (HOT): no index writes, and old versions are pruned inside their
-- page. The fill factor keeps room in each page for the new versions: the updates are all
-- heap-only after a few ticks (vatstats_tests/storage/test_ingest.py). Measured with
-- bench/ingest_bench.py's turns at 4,000 pilots: the write of consecutive ticks 141-171 ms before,
-- 117-131 ms after.
--
-- Queries find rows by last_seen through last_seen_hour (see sql/queries/*.sql): a condition on
-- last_seen is paired with the same condition on its hour, which the index serves.
-- Adding a stored column rewrites the table once, under an exclusive lock.

ALTER TABLE vatstats.flights
    ADD COLUMN last_seen_hour timestamp
        GENERATED ALWAYS AS (date_trunc('hour', last_seen AT TIME ZONE 'UTC')) STORED;
ALTER TABLE vatstats.flights SET (
    fillfactor = 70,
    -- Every online flight's row changes every tick, but the table's value distributions hardly do:
    -- with the default 10 % threshold a young table was re-analysed after every tick, a CPU burst
    -- that slowed the next tick's parsing by up to 80 ms on a two-core machine. Analyse after
    -- changes amounting to twice the table instead: minutes apart on a table's first day, hours
    -- apart once it holds a month of connections.
    autovacuum_analyze_scale_factor = 2.0
);

DROP INDEX vatstats.flights_last_seen_idx;
CREATE INDEX flights_last_seen_hour_idx ON vatstats.flights (last_seen_hour);

-- The live picture, found through the hour index (the view keeps the columns of flights before).
CREATE OR REPLACE VIEW vatstats.current_flights AS
WITH latest AS (SELECT max(update_timestamp) AS at FROM vatstats.feed_snapshots)
SELECT f.cid, f.callsign, f.logon_time, f.name, f.server, f.pilot_rating, f.military_rating,
       f.latitude, f.longitude, f.altitude_ft, f.groundspeed_kt, f.heading_deg, f.transponder,
       f.qnh_mb, f.flight_rules, f.aircraft, f.aircraft_type, f.departure, f.arrival, f.alternate,
       f.cruise_tas_kt, f.planned_altitude_ft, f.deptime, f.enroute_time, f.route, f.remarks,
       f.revision_id, f.assigned_transponder, f.last_updated, f.first_seen, f.last_seen,
       f.max_altitude_ft
FROM vatstats.flights AS f, latest
WHERE f.last_seen_hour = date_trunc('hour', latest.at AT TIME ZONE 'UTC')
  AND f.last_seen = latest.at;

COMMENT ON COLUMN vatstats.flights.last_seen_hour IS
    'The UTC hour of last_seen (generated): what the index on the time a connection was last seen holds, so that each tick''s updates stay heap-only.';
