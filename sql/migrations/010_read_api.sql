-- What the read API (`vatstats serve`) needs beyond migration 009.
--
-- 1. A callsign's connections in logon order (/v1/callsigns/{callsign}/flights). The primary key of
--    flights starts with cid, so without this index that listing reads the whole table. callsign,
--    logon_time and cid never change once a row is written, so each tick's updates of the online
--    flights stay heap-only (migration 005): the index is written once per new connection.
--    Building it locks flights against writes for as long as it takes (seconds for millions of rows).

CREATE INDEX flights_callsign_logon_idx ON vatstats.flights (callsign, logon_time, cid);

COMMENT ON INDEX vatstats.flights_callsign_logon_idx IS
    'A callsign''s connections in logon order, for the read API''s /v1/callsigns/{callsign}/flights.';

-- 2. The live figures (`vatstats status`, /v1/network/status) count and date the stored snapshots.
--    The reader still may not read the raw bodies (every member's name is in them, whatever
--    VATSTATS_STORE_NAMES says), so it gets SELECT on the snapshots' bookkeeping columns only:
--    `SELECT *` and `SELECT body` stay refused.

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vatstats_reader') THEN
        GRANT SELECT (update_timestamp, fetched_at, stored_at, pilots, controllers, atis, prefiles, pilots_stored,
                      controllers_stored, skipped_records, duplicates_dropped, region)
            ON vatstats.feed_snapshots TO vatstats_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'SELECT on the snapshot times not granted to vatstats_reader: the warehouse user may not grant it';
END
$$;
