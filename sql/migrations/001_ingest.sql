-- Ingest tables: raw snapshots, pilot and controller connections, and the track history.
-- Every table lives in schema vatstats. Time-partitioned parents get one partition per UTC day,
-- created ahead of time by the maintenance asset (vatstats.ensure_day_partition below).

CREATE SCHEMA IF NOT EXISTS vatstats;

-- One row per distinct feed snapshot (general.update_timestamp), raw JSON gzip-compressed so the
-- structured tables can be rebuilt if a parser bug is found. Short retention: whole days dropped.
CREATE TABLE vatstats.feed_snapshots (
    update_timestamp   timestamptz NOT NULL,
    fetched_at         timestamptz NOT NULL,
    source             text        NOT NULL,
    body_gzip          bytea       NOT NULL,
    raw_bytes          integer     NOT NULL,
    compressed_bytes   integer     NOT NULL,
    pilots             integer     NOT NULL,
    controllers        integer     NOT NULL,
    atis               integer     NOT NULL,
    prefiles           integer     NOT NULL,
    pilots_stored      integer     NOT NULL,
    controllers_stored integer     NOT NULL,  -- controllers stored, ATIS stations not counted
    skipped_records    integer     NOT NULL,
    duplicates_dropped integer     NOT NULL,
    region             text        NOT NULL,
    -- when this row was written (not the transaction start): ingest latency = stored_at - update_timestamp
    stored_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (update_timestamp)
) PARTITION BY RANGE (update_timestamp);
-- body_gzip is already compressed: don't let TOAST try again.
ALTER TABLE vatstats.feed_snapshots ALTER COLUMN body_gzip SET STORAGE EXTERNAL;

-- One row per pilot connection: the latest state plus first/last seen and max altitude.
CREATE TABLE vatstats.flights (
    cid                  integer     NOT NULL,
    callsign             text        NOT NULL,
    logon_time           timestamptz NOT NULL,
    name                 text,
    server               text,
    pilot_rating         smallint,
    military_rating      smallint,
    latitude             double precision NOT NULL,
    longitude            double precision NOT NULL,
    altitude_ft          integer     NOT NULL,
    groundspeed_kt       integer     NOT NULL,
    heading_deg          smallint    NOT NULL,
    transponder          text,
    qnh_mb               smallint,
    flight_rules         text,
    aircraft             text,
    aircraft_type        text,
    departure            text,
    arrival              text,
    alternate            text,
    cruise_tas_kt        integer,
    planned_altitude_ft  integer,
    deptime              text,
    enroute_time         text,
    route                text,
    remarks              text,
    revision_id          integer,
    assigned_transponder text,
    last_updated         timestamptz NOT NULL,
    first_seen           timestamptz NOT NULL,
    last_seen            timestamptz NOT NULL,
    max_altitude_ft      integer     NOT NULL,
    PRIMARY KEY (cid, callsign, logon_time)
);
-- current_flights and the status query select connections seen in the latest snapshot.
CREATE INDEX flights_last_seen_idx ON vatstats.flights (last_seen);

-- One row per controller (and ATIS) connection.
CREATE TABLE vatstats.atc_positions (
    callsign      text        NOT NULL,
    cid           integer     NOT NULL,
    logon_time    timestamptz NOT NULL,
    name          text,
    frequency_khz integer,
    facility      smallint    NOT NULL,
    rating        smallint    NOT NULL,
    server        text,
    visual_range  integer,
    is_atis       boolean     NOT NULL,
    atis_code     text,
    text_atis     text,
    last_updated  timestamptz NOT NULL,
    first_seen    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    PRIMARY KEY (callsign, cid, logon_time)
);
-- current_atc and controller summaries select by time seen.
CREATE INDEX atc_positions_last_seen_idx ON vatstats.atc_positions (last_seen);

-- The track history: one row per connection per snapshot in which it moved.
CREATE TABLE vatstats.flight_positions (
    cid            integer          NOT NULL,
    callsign       text             NOT NULL,
    logon_time     timestamptz      NOT NULL,
    observed_at    timestamptz      NOT NULL,
    latitude       double precision NOT NULL,
    longitude      double precision NOT NULL,
    altitude_ft    integer          NOT NULL,
    groundspeed_kt integer          NOT NULL,
    heading_deg    smallint         NOT NULL,
    PRIMARY KEY (cid, callsign, logon_time, observed_at)
) PARTITION BY RANGE (observed_at);
-- Movement detection reads a day's window ordered by connection and time: the primary key serves
-- per-connection reads; this one serves the window scan on each (pruned) partition.
CREATE INDEX flight_positions_observed_at_idx ON vatstats.flight_positions (observed_at);

-- Creates the day partition of a range-partitioned vatstats table if it is missing.
-- Table names come only from the project's own constants; the day is a date, formatted here.
CREATE FUNCTION vatstats.ensure_day_partition(parent text, day date) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
    partition_name text := parent || '_p' || to_char(day, 'YYYYMMDD');
BEGIN
    IF to_regclass('vatstats.' || partition_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS vatstats.%I PARTITION OF vatstats.%I FOR VALUES FROM (%L) TO (%L)',
        partition_name, parent,
        (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
    RETURN true;
END;
$fn$;

-- The live picture: connections present in the latest stored snapshot.
CREATE VIEW vatstats.current_flights AS
SELECT f.*
FROM vatstats.flights AS f
WHERE f.last_seen = (SELECT max(update_timestamp) FROM vatstats.feed_snapshots);

CREATE VIEW vatstats.current_atc AS
SELECT a.*
FROM vatstats.atc_positions AS a
WHERE a.last_seen = (SELECT max(update_timestamp) FROM vatstats.feed_snapshots);
