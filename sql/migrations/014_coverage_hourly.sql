-- Coverage per UTC day, hour and area (issue 15): where traffic ran with nobody to talk to. The rules
-- are core/coverage_hourly.py's; the README's ATC coverage section states them.
CREATE TABLE vatstats.coverage_hourly (
    date                        date     NOT NULL,
    hour                        smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    area_kind                   text     NOT NULL CHECK (area_kind IN ('airport', 'enroute')),
    area                        text     NOT NULL,
    aircraft                    integer  NOT NULL,
    aircraft_minutes            integer  NOT NULL,
    covered_aircraft_minutes    integer  NOT NULL,
    uncovered_aircraft_minutes  integer  NOT NULL,
    covered_share               real     NOT NULL CHECK (covered_share BETWEEN 0 AND 1),
    staffed_minutes             smallint NOT NULL CHECK (staffed_minutes BETWEEN 0 AND 60),
    peak_aircraft               integer  NOT NULL,
    PRIMARY KEY (date, hour, area_kind, area),
    CHECK (covered_aircraft_minutes + uncovered_aircraft_minutes = aircraft_minutes)
);

COMMENT ON TABLE vatstats.coverage_hourly IS 'ATC coverage per UTC day, hour and area (an airport, or all enroute traffic): traffic sampled once a minute, the share of it in contact with a controller, and the minutes a controller was on station (core/coverage_hourly.py).';
COMMENT ON COLUMN vatstats.coverage_hourly.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.coverage_hourly.hour IS 'The UTC hour, 0-23.';
COMMENT ON COLUMN vatstats.coverage_hourly.area_kind IS 'airport (within 10 nm of an airport with movements that day, below 10,000 ft) or enroute (all other traffic).';
COMMENT ON COLUMN vatstats.coverage_hourly.area IS 'The airport''s ICAO code, or all for enroute.';
COMMENT ON COLUMN vatstats.coverage_hourly.aircraft IS 'Distinct pilot connections in the area during the hour.';
COMMENT ON COLUMN vatstats.coverage_hourly.aircraft_minutes IS 'Pilot connections in the area at the first snapshot of each minute, summed over the hour.';
COMMENT ON COLUMN vatstats.coverage_hourly.covered_aircraft_minutes IS 'Aircraft-minutes in contact with a controller (atc_contacts).';
COMMENT ON COLUMN vatstats.coverage_hourly.uncovered_aircraft_minutes IS 'Aircraft-minutes with nobody to talk to: where and when more controllers are needed.';
COMMENT ON COLUMN vatstats.coverage_hourly.covered_share IS 'covered_aircraft_minutes over aircraft_minutes, 0 to 1.';
COMMENT ON COLUMN vatstats.coverage_hourly.staffed_minutes IS 'Minutes of the hour a controller was on station: for an airport, one providing service with a transceiver within range of it; for enroute, a centre or flight service station online.';
COMMENT ON COLUMN vatstats.coverage_hourly.peak_aircraft IS 'Most aircraft in the area in one minute of the hour.';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vatstats_reader') THEN
        GRANT SELECT ON vatstats.coverage_hourly TO vatstats_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'SELECT on coverage_hourly not granted to vatstats_reader: the warehouse user may not grant it';
END
$$;
