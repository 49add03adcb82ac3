-- ATC contacts and the coverage columns of the daily summaries (issue 15). The rules are in
-- vatstats_assets/core/coverage_rules.py; the README's Coverage section states them.

-- One row per contact: a flight connection and a controller connection on the same channel, in
-- consecutive snapshots, with the aircraft within the station's range. Daily partitions of the
-- atc_contacts asset replace the rows whose interval starts that day; a contact running over
-- midnight is cut there, one row each side (as the controller summaries cut sessions).
CREATE TABLE vatstats.atc_contacts (
    pilot_cid          integer     NOT NULL,
    pilot_callsign     text        NOT NULL,
    pilot_logon_time   timestamptz NOT NULL,
    atc_cid            integer     NOT NULL,
    atc_callsign       text        NOT NULL,
    atc_logon_time     timestamptz NOT NULL,
    facility           smallint    NOT NULL,
    channel_hz         integer     NOT NULL,
    started_at         timestamptz NOT NULL,
    ended_at           timestamptz NOT NULL,
    CHECK (ended_at > started_at),
    PRIMARY KEY (pilot_cid, pilot_callsign, pilot_logon_time, atc_cid, atc_callsign, atc_logon_time, channel_hz,
                 started_at)
);
-- A day is replaced and read by started_at; the summaries read a connection's contacts by pilot
-- (the primary key's prefix) or by controller.
CREATE INDEX atc_contacts_started_at_idx ON vatstats.atc_contacts (started_at);
CREATE INDEX atc_contacts_atc_idx ON vatstats.atc_contacts (atc_cid, atc_callsign, started_at);

COMMENT ON TABLE vatstats.atc_contacts IS 'ATC contacts: intervals when a pilot connection and a controller connection were on the same radio channel, in consecutive snapshots, with the aircraft within the station''s range (core/coverage_rules.py). Cut at midnight UTC.';
COMMENT ON COLUMN vatstats.atc_contacts.pilot_cid IS 'The pilot''s VATSIM id (with pilot_callsign and pilot_logon_time, a flights row).';
COMMENT ON COLUMN vatstats.atc_contacts.pilot_callsign IS 'The pilot connection''s callsign.';
COMMENT ON COLUMN vatstats.atc_contacts.pilot_logon_time IS 'Logon time of the pilot connection.';
COMMENT ON COLUMN vatstats.atc_contacts.atc_cid IS 'The controller''s VATSIM id (with atc_callsign and atc_logon_time, an atc_positions row).';
COMMENT ON COLUMN vatstats.atc_contacts.atc_callsign IS 'The controller connection''s callsign.';
COMMENT ON COLUMN vatstats.atc_contacts.atc_logon_time IS 'Logon time of the controller connection.';
COMMENT ON COLUMN vatstats.atc_contacts.facility IS 'The controller''s facility (1 flight service, 2 delivery, 3 ground, 4 tower, 5 approach, 6 centre), from the data feed.';
COMMENT ON COLUMN vatstats.atc_contacts.channel_hz IS 'The channel both were on: the carrier on the 8.33 kHz raster, in Hz (transceiver_tunings.channel_hz).';
COMMENT ON COLUMN vatstats.atc_contacts.started_at IS 'Half a snapshot interval before the first snapshot showing the contact (or midnight UTC, where the contact ran over it).';
COMMENT ON COLUMN vatstats.atc_contacts.ended_at IS 'Half a snapshot interval after the last snapshot showing the contact (or midnight UTC, where the contact ran over it).';

-- Coverage per completed flight, over its whole connection (contacts of every day it was online).
ALTER TABLE vatstats.flight_summaries
    ADD COLUMN atc_covered_seconds          double precision,
    ADD COLUMN atc_covered_share            real,
    ADD COLUMN atc_airborne_covered_seconds double precision,
    ADD COLUMN atc_airborne_covered_share   real,
    ADD COLUMN covered_fss_seconds          double precision,
    ADD COLUMN covered_delivery_seconds     double precision,
    ADD COLUMN covered_ground_seconds       double precision,
    ADD COLUMN covered_tower_seconds        double precision,
    ADD COLUMN covered_approach_seconds     double precision,
    ADD COLUMN covered_centre_seconds       double precision;

COMMENT ON COLUMN vatstats.flight_summaries.atc_covered_seconds IS 'Seconds of the connection in contact with at least one controller (overlapping contacts counted once).';
COMMENT ON COLUMN vatstats.flight_summaries.atc_covered_share IS 'atc_covered_seconds over the connection''s time online (logon to last seen), 0 to 1.';
COMMENT ON COLUMN vatstats.flight_summaries.atc_airborne_covered_seconds IS 'Seconds between takeoff and landing in contact with at least one controller.';
COMMENT ON COLUMN vatstats.flight_summaries.atc_airborne_covered_share IS 'atc_airborne_covered_seconds over the airborne time, 0 to 1; NULL without a takeoff time.';
COMMENT ON COLUMN vatstats.flight_summaries.covered_fss_seconds IS 'Seconds of the connection in contact with a flight service station.';
COMMENT ON COLUMN vatstats.flight_summaries.covered_delivery_seconds IS 'Seconds of the connection in contact with a delivery controller.';
COMMENT ON COLUMN vatstats.flight_summaries.covered_ground_seconds IS 'Seconds of the connection in contact with a ground controller.';
COMMENT ON COLUMN vatstats.flight_summaries.covered_tower_seconds IS 'Seconds of the connection in contact with a tower controller.';
COMMENT ON COLUMN vatstats.flight_summaries.covered_approach_seconds IS 'Seconds of the connection in contact with an approach controller.';
COMMENT ON COLUMN vatstats.flight_summaries.covered_centre_seconds IS 'Seconds of the connection in contact with a centre controller.';

-- Aircraft handled per controller (callsign and member) and day.
ALTER TABLE vatstats.controller_summaries
    ADD COLUMN aircraft_handled integer,
    ADD COLUMN peak_aircraft    integer,
    ADD COLUMN peak_aircraft_at timestamptz;

COMMENT ON COLUMN vatstats.controller_summaries.aircraft_handled IS 'Distinct pilot connections in contact with this controller during the day.';
COMMENT ON COLUMN vatstats.controller_summaries.peak_aircraft IS 'Most pilot connections in contact with this controller at once during the day.';
COMMENT ON COLUMN vatstats.controller_summaries.peak_aircraft_at IS 'When peak_aircraft was first reached.';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vatstats_reader') THEN
        GRANT SELECT ON vatstats.atc_contacts TO vatstats_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'SELECT on atc_contacts not granted to vatstats_reader: the warehouse user may not grant it';
END
$$;
