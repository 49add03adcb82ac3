-- The transceivers feed (ATC coverage, issue 15), stored beside the data snapshot it was fetched
-- with, in the same transaction.
--
-- 1. The raw transceivers body, compressed like the data body, so every coverage table can be
--    recomputed. Nullable columns without defaults: adding them rewrites nothing. A snapshot whose
--    transceivers feed failed or was late still stores its data body on time, with
--    transceivers_missing saying why and no transceivers body.

ALTER TABLE vatstats.feed_snapshots
    ADD COLUMN transceivers_body           bytea,
    ADD COLUMN transceivers_raw_bytes      integer,
    ADD COLUMN transceivers_entries        integer,
    ADD COLUMN transceivers_skipped        integer,
    ADD COLUMN transceivers_missing        text;
ALTER TABLE vatstats.feed_snapshots ALTER COLUMN transceivers_body SET STORAGE EXTERNAL;

COMMENT ON COLUMN vatstats.feed_snapshots.transceivers_body IS 'The transceivers feed fetched with this snapshot, exactly as received, compressed as body_encoding says; NULL when it was missing.';
COMMENT ON COLUMN vatstats.feed_snapshots.transceivers_raw_bytes IS 'Size of the transceivers body before compression, in bytes.';
COMMENT ON COLUMN vatstats.feed_snapshots.transceivers_entries IS 'Callsign entries of the transceivers feed kept (matched to a connection of this snapshot).';
COMMENT ON COLUMN vatstats.feed_snapshots.transceivers_skipped IS 'Callsign entries left out: malformed, an ATIS, or no connection this snapshot stored (outside the region, or unknown) has the callsign.';
COMMENT ON COLUMN vatstats.feed_snapshots.transceivers_missing IS 'Why this snapshot has no transceivers (the fetch failed, timed out, or the feed offers none); NULL when stored.';

-- 2. Runs of unchanged tuning per connection: one row while a connection stays on a frequency (and,
--    for a controller, while its transceivers on it stay where they are), not one per transceiver
--    per 15 s. A run continues while the connection is seen on it in consecutive transceivers
--    snapshots, or again within RUN_GAP_S with only snapshots without transceivers in between
--    (core/tuning_runs.py extendable_run_end); otherwise a new run starts.

CREATE TABLE vatstats.transceiver_tunings (
    cid             integer     NOT NULL,
    callsign        text        NOT NULL,
    logon_time      timestamptz NOT NULL,
    is_pilot        boolean     NOT NULL,
    frequency_hz    integer     NOT NULL,
    channel_hz      integer     NOT NULL,
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL,
    -- A controller's transceivers on this frequency (sorted); NULL for pilots, whose position is
    -- their track's.
    site_latitudes  real[],
    site_longitudes real[],
    CHECK (last_seen >= first_seen),
    PRIMARY KEY (cid, callsign, logon_time, frequency_hz, first_seen)
);
-- Every tick moves last_seen of every open run (thousands of rows). As for flights (migration
-- 005), no index may hold a column every tick changes, or none of those updates is heap-only: the
-- runs are found by the HOUR of last_seen (a stored column, changing for one tick an hour), and
-- analysing waits for changes amounting to twice the table. Unlike flights, every open run on a
-- page is updated every tick, and the versions a tick replaces can be pruned only after it
-- commits: a page must hold two versions of each of its rows, hence fill factor 50 (70 left
-- about a fifth of the updates non-heap-only in the benchmark, 50 none). Closed runs keep the
-- room they no longer need: about 150 bytes a run, some 35 MB a day more at 4,000 pilots. A condition on last_seen is paired with the same condition on
-- last_seen_hour, which the index serves (sql/queries/extend_tuning_runs.sql):
--     WHERE last_seen >= :day_start AND last_seen_hour >= :day_start AT TIME ZONE 'UTC'
-- Measured with bench/ingest_bench.py at 4,000 pilots (about 6,300 open runs): see the README.
ALTER TABLE vatstats.transceiver_tunings
    ADD COLUMN last_seen_hour timestamp
        GENERATED ALWAYS AS (date_trunc('hour', last_seen AT TIME ZONE 'UTC')) STORED;
ALTER TABLE vatstats.transceiver_tunings SET (fillfactor = 50, autovacuum_analyze_scale_factor = 2.0);
CREATE INDEX transceiver_tunings_last_seen_hour_idx ON vatstats.transceiver_tunings (last_seen_hour);

COMMENT ON TABLE vatstats.transceiver_tunings IS 'Runs of unchanged radio tuning per pilot or controller connection, from the transceivers feed: one row per connection, frequency and stretch of consecutive snapshots.';
COMMENT ON COLUMN vatstats.transceiver_tunings.cid IS 'The member''s VATSIM id (with callsign and logon_time, the connection: a flights or atc_positions row).';
COMMENT ON COLUMN vatstats.transceiver_tunings.callsign IS 'The connection''s callsign.';
COMMENT ON COLUMN vatstats.transceiver_tunings.logon_time IS 'Logon time of the connection.';
COMMENT ON COLUMN vatstats.transceiver_tunings.is_pilot IS 'True for a pilot connection (flights), false for a controller (atc_positions, never an ATIS).';
COMMENT ON COLUMN vatstats.transceiver_tunings.frequency_hz IS 'The frequency as the feed gave it, in Hz.';
COMMENT ON COLUMN vatstats.transceiver_tunings.channel_hz IS 'The channel: the carrier on the 8.33 kHz raster (core/coverage_rules.py channel_hz); equal channel_hz means the same channel.';
COMMENT ON COLUMN vatstats.transceiver_tunings.first_seen IS 'The first snapshot of the run.';
COMMENT ON COLUMN vatstats.transceiver_tunings.last_seen IS 'The last snapshot of the run so far.';
COMMENT ON COLUMN vatstats.transceiver_tunings.last_seen_hour IS 'The UTC hour of last_seen, for finding runs by time (the index is on it, not on last_seen, so that extending a run is a heap-only update).';
COMMENT ON COLUMN vatstats.transceiver_tunings.site_latitudes IS 'Latitudes of a controller''s transceivers on this frequency; NULL for a pilot.';
COMMENT ON COLUMN vatstats.transceiver_tunings.site_longitudes IS 'Longitudes of a controller''s transceivers on this frequency; NULL for a pilot.';

-- 3. The reader may read the runs and the snapshots' transceivers bookkeeping, never the body (the
--    same rule as migration 010's for the data body).

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vatstats_reader') THEN
        GRANT SELECT ON vatstats.transceiver_tunings TO vatstats_reader;
        GRANT SELECT (transceivers_raw_bytes, transceivers_entries, transceivers_skipped, transceivers_missing)
            ON vatstats.feed_snapshots TO vatstats_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'SELECT on the transceiver tunings not granted to vatstats_reader: the warehouse user may not grant it';
END
$$;
