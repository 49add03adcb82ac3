-- Daily summaries: small tables, one day per Dagster partition, kept forever (no retention).

-- Movements per airport, UTC day and hour, by movement type and aircraft type ('ZZZZ' = unknown,
-- the ICAO designator for "type not listed"). Per-airport totals sum over aircraft_type.
CREATE TABLE vatstats.movement_summaries (
    date          date     NOT NULL,
    airport       text     NOT NULL,
    hour          smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    movement_type text     NOT NULL CHECK (movement_type IN ('departure', 'arrival')),
    aircraft_type text     NOT NULL,
    movements     integer  NOT NULL CHECK (movements > 0),
    PRIMARY KEY (date, airport, hour, movement_type, aircraft_type)
);

-- Arrivals and departures per airport and hour, over all aircraft types.
CREATE VIEW vatstats.airport_hourly_movements AS
SELECT date, airport, hour,
       sum(movements) FILTER (WHERE movement_type = 'departure') AS departures,
       sum(movements) FILTER (WHERE movement_type = 'arrival')   AS arrivals
FROM vatstats.movement_summaries
GROUP BY date, airport, hour;

-- One row per flight completed (final landing) that day. A connection can complete more than one
-- flight (land, taxi out, fly again), so the landing time is part of the key.
CREATE TABLE vatstats.flight_summaries (
    cid              integer     NOT NULL,
    callsign         text        NOT NULL,
    logon_time       timestamptz NOT NULL,
    landing_at       timestamptz NOT NULL,
    aircraft_type    text,
    flight_rules     text,
    filed_departure  text,
    filed_arrival    text,
    departure        text,
    arrival          text        NOT NULL,
    off_block_at     timestamptz,
    takeoff_at       timestamptz,
    on_block_at      timestamptz,
    airborne_minutes double precision,
    distance_nm      double precision NOT NULL,
    max_altitude_ft  integer     NOT NULL,
    diverted         boolean     NOT NULL,
    PRIMARY KEY (cid, callsign, logon_time, landing_at)
);
-- A day's flights are replaced and read by landing time.
CREATE INDEX flight_summaries_landing_at_idx ON vatstats.flight_summaries (landing_at);

-- Controller time per UTC day, sessions merged across reconnects of up to 5 minutes.
CREATE TABLE vatstats.controller_summaries (
    date           date     NOT NULL,
    callsign       text     NOT NULL,
    cid            integer  NOT NULL,
    facility       smallint NOT NULL,
    rating         smallint NOT NULL,
    sessions       integer  NOT NULL,
    minutes_online double precision NOT NULL CHECK (minutes_online BETWEEN 0 AND 1440),
    PRIMARY KEY (date, callsign, cid)
);

-- Network figures per UTC day (within the configured region).
CREATE TABLE vatstats.network_daily_stats (
    date                date        NOT NULL PRIMARY KEY,
    unique_pilots       integer     NOT NULL,
    unique_controllers  integer     NOT NULL,
    peak_pilots         integer     NOT NULL,
    peak_pilots_at      timestamptz,
    peak_controllers    integer     NOT NULL,
    peak_controllers_at timestamptz,
    snapshots_ingested  integer     NOT NULL,
    snapshots_missed    integer     NOT NULL,
    busiest_airports    jsonb       NOT NULL
);
