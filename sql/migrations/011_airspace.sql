-- Airspace: the division's sectors (read from VATSTATS_AIRSPACE_DIR by the `airspace` asset), which
-- sectors each flight was in and when (sector_occupancy), and the hourly load and staffing of each
-- sector (sector_hourly_load). Geometry is GeoJSON in longitude/latitude degrees: no PostGIS needed.

CREATE TABLE vatstats.airspace_volumes (
    name             text    PRIMARY KEY,
    lower_ft         integer NOT NULL,
    upper_ft         integer NOT NULL,
    boundaries       text[]  NOT NULL,
    geometry         jsonb   NOT NULL,
    source_file      text    NOT NULL,
    airspace_version text    NOT NULL,
    CHECK (lower_ft < upper_ft)
);

CREATE TABLE vatstats.airspace_sectors (
    name                text   PRIMARY KEY,
    full_name           text   NOT NULL,
    callsign            text,
    frequency           text,
    volumes             text[] NOT NULL,
    responsible_sectors text[] NOT NULL,
    source_file         text   NOT NULL,
    airspace_version    text   NOT NULL
);

-- One row per stay of a pilot connection in a sector, cut at midnight UTC (a Dagster daily
-- partition on entered_at replaces its day).
CREATE TABLE vatstats.sector_occupancy (
    sector           text        NOT NULL,
    cid              integer     NOT NULL,
    callsign         text        NOT NULL,
    logon_time       timestamptz NOT NULL,
    entered_at       timestamptz NOT NULL,
    exited_at        timestamptz NOT NULL,
    entry            text        NOT NULL CHECK (entry IN ('boundary', 'takeoff', 'logon', 'reconnect', 'midnight')),
    exit             text        NOT NULL CHECK (exit IN ('boundary', 'landing', 'logoff', 'reconnect', 'midnight')),
    airspace_version text        NOT NULL,
    PRIMARY KEY (sector, cid, callsign, logon_time, entered_at),
    CHECK (exited_at >= entered_at)
);
-- A day's partition is deleted and read (hourly load, checks) by entered_at.
CREATE INDEX sector_occupancy_entered_at_idx ON vatstats.sector_occupancy (entered_at);

CREATE TABLE vatstats.sector_hourly_load (
    date                       date        NOT NULL,
    hour                       smallint    NOT NULL CHECK (hour BETWEEN 0 AND 23),
    sector                     text        NOT NULL,
    aircraft                   integer     NOT NULL,
    entries                    integer     NOT NULL,
    aircraft_minutes           real        NOT NULL,
    peak_aircraft              integer     NOT NULL,
    peak_at                    timestamptz,
    staffed_minutes            real        NOT NULL,
    unstaffed_aircraft_minutes real        NOT NULL,
    airspace_version           text        NOT NULL,
    PRIMARY KEY (date, sector, hour)
);

COMMENT ON TABLE vatstats.airspace_volumes IS 'Airspace volumes from the files in VATSTATS_AIRSPACE_DIR: a polygon between two altitudes (GeoJSON boundaries reach from the surface up, without limit).';
COMMENT ON COLUMN vatstats.airspace_volumes.name IS 'The volume''s name in its file (a GeoJSON boundary''s id).';
COMMENT ON COLUMN vatstats.airspace_volumes.lower_ft IS 'Lower limit, feet above mean sea level.';
COMMENT ON COLUMN vatstats.airspace_volumes.upper_ft IS 'Upper limit, feet above mean sea level (exclusive).';
COMMENT ON COLUMN vatstats.airspace_volumes.boundaries IS 'The boundaries whose union is the volume''s polygon.';
COMMENT ON COLUMN vatstats.airspace_volumes.geometry IS 'The polygon as GeoJSON (longitude, latitude), cut at the antimeridian.';
COMMENT ON COLUMN vatstats.airspace_volumes.source_file IS 'The file it was read from, relative to VATSTATS_AIRSPACE_DIR.';
COMMENT ON COLUMN vatstats.airspace_volumes.airspace_version IS 'sha256 of the airspace files: the airspace asset''s data version.';

COMMENT ON TABLE vatstats.airspace_sectors IS 'Controller sectors from the files in VATSTATS_AIRSPACE_DIR: their volumes and the sectors each covers when those are closed.';
COMMENT ON COLUMN vatstats.airspace_sectors.name IS 'The sector''s name in its file (a GeoJSON boundary''s id).';
COMMENT ON COLUMN vatstats.airspace_sectors.full_name IS 'Its long name, e.g. Armidale.';
COMMENT ON COLUMN vatstats.airspace_sectors.callsign IS 'The callsign of its position, e.g. ML-ARL_CTR (none for a GeoJSON boundary).';
COMMENT ON COLUMN vatstats.airspace_sectors.frequency IS 'Its primary frequency in MHz, e.g. 124.650.';
COMMENT ON COLUMN vatstats.airspace_sectors.volumes IS 'The volumes it is made of.';
COMMENT ON COLUMN vatstats.airspace_sectors.responsible_sectors IS 'The sectors this position also controls when they are closed.';
COMMENT ON COLUMN vatstats.airspace_sectors.source_file IS 'The file it was read from, relative to VATSTATS_AIRSPACE_DIR.';
COMMENT ON COLUMN vatstats.airspace_sectors.airspace_version IS 'sha256 of the airspace files: the airspace asset''s data version.';

COMMENT ON TABLE vatstats.sector_occupancy IS 'Each stay of a flying (faster than 40 kt) pilot connection in a sector (3-D: polygon and altitude band), with entry and exit times interpolated between snapshots; stays are cut at midnight UTC.';
COMMENT ON COLUMN vatstats.sector_occupancy.sector IS 'The sector (airspace_sectors.name).';
COMMENT ON COLUMN vatstats.sector_occupancy.cid IS 'The pilot''s VATSIM member id.';
COMMENT ON COLUMN vatstats.sector_occupancy.callsign IS 'The pilot''s callsign.';
COMMENT ON COLUMN vatstats.sector_occupancy.logon_time IS 'Logon time of the connection (with cid and callsign, the flights key).';
COMMENT ON COLUMN vatstats.sector_occupancy.entered_at IS 'When the aircraft entered the sector (or the connection began inside it, or midnight).';
COMMENT ON COLUMN vatstats.sector_occupancy.exited_at IS 'When it left the sector (or the connection ended inside it, or midnight).';
COMMENT ON COLUMN vatstats.sector_occupancy.entry IS 'How the stay began: boundary (flew into it), takeoff (began to fly inside it: faster than 40 kt), logon, reconnect (the same flight back after a dropped connection) or midnight.';
COMMENT ON COLUMN vatstats.sector_occupancy.exit IS 'How the stay ended: boundary, landing (slowed to 40 kt or less inside it), logoff, reconnect or midnight.';
COMMENT ON COLUMN vatstats.sector_occupancy.airspace_version IS 'The airspace version the stay was computed with.';

COMMENT ON TABLE vatstats.sector_hourly_load IS 'Per sector and UTC hour: aircraft, aircraft-minutes, peak concurrent aircraft, minutes staffed and aircraft-minutes unstaffed. Answers "when does this sector need a controller?".';
COMMENT ON COLUMN vatstats.sector_hourly_load.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.sector_hourly_load.hour IS 'The UTC hour, 0-23.';
COMMENT ON COLUMN vatstats.sector_hourly_load.sector IS 'The sector (airspace_sectors.name).';
COMMENT ON COLUMN vatstats.sector_hourly_load.aircraft IS 'Distinct aircraft (cid and callsign) in the sector during the hour.';
COMMENT ON COLUMN vatstats.sector_hourly_load.entries IS 'Boundary crossings into the sector during the hour.';
COMMENT ON COLUMN vatstats.sector_hourly_load.aircraft_minutes IS 'Minutes spent in the sector by all aircraft together during the hour.';
COMMENT ON COLUMN vatstats.sector_hourly_load.peak_aircraft IS 'Most aircraft in the sector at one moment of the hour.';
COMMENT ON COLUMN vatstats.sector_hourly_load.peak_at IS 'When that peak was first reached (null when the sector was empty).';
COMMENT ON COLUMN vatstats.sector_hourly_load.staffed_minutes IS 'Minutes of the hour a controller covered the sector: its own callsign or frequency, or a position responsible for it.';
COMMENT ON COLUMN vatstats.sector_hourly_load.unstaffed_aircraft_minutes IS 'Aircraft-minutes in the sector while nobody covered it.';
COMMENT ON COLUMN vatstats.sector_hourly_load.airspace_version IS 'The airspace version the load was computed with.';

-- A region may now be boundaries of the sector files (VATSTATS_REGION=YMMM,YBBB) ------------------

COMMENT ON COLUMN vatstats.feed_snapshots.region IS
    'The region stored from this snapshot: vatpac, global, or the boundary/sector ids of VATSTATS_AIRSPACE_DIR it named (YMMM,YBBB).';

-- What the reader may read ------------------------------------------------------------------------

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vatstats_reader') THEN
        GRANT SELECT ON
            vatstats.airspace_volumes, vatstats.airspace_sectors, vatstats.sector_occupancy,
            vatstats.sector_hourly_load
        TO vatstats_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'SELECT not granted to vatstats_reader: the warehouse user may not grant it';
END
$$;
