-- Airport movements detected from the track history: one row per departure or arrival,
-- partitioned by UTC day like the Dagster asset that writes it (a partition re-run replaces its day).
CREATE TABLE vatstats.traffic_movements (
    airport             text        NOT NULL,
    movement_type       text        NOT NULL CHECK (movement_type IN ('departure', 'arrival')),
    at                  timestamptz NOT NULL,
    cid                 integer     NOT NULL,
    callsign            text        NOT NULL,
    logon_time          timestamptz NOT NULL,
    aircraft_type       text,
    filed_departure     text,
    filed_arrival       text,
    matches_flight_plan boolean     NOT NULL,
    PRIMARY KEY (airport, movement_type, cid, callsign, logon_time, at)
) PARTITION BY RANGE (at);
-- Movements per day and hour (summaries, the status query) scan a day by time.
CREATE INDEX traffic_movements_at_idx ON vatstats.traffic_movements (at);
