-- The read-only door for BI tools, notebooks and the read API: the role vatstats_reader and
-- reporting views that answer the division staff's questions directly.
--
-- The role is created here without a login; `vatstats migrate` (and every vatstats command that opens
-- the warehouse) then gives it LOGIN and its password (VATSTATS_READER_PASSWORD, or one made and kept
-- in VATSTATS_DATA_DIR/reader-password). Roles belong to the whole server, so a warehouse user
-- without CREATEROLE cannot make it: the migration then skips the role with a notice rather than
-- fail, and the read side says what to do (README, "Reading the warehouse").
--
-- What the role may do: connect to this database, SELECT the tables and views listed below, nothing
-- else. Not the raw snapshots (they hold every member's name even with VATSTATS_STORE_NAMES=false),
-- not schema_migrations, not Dagster's database (its CONNECT is revoked from PUBLIC when vatstats
-- creates it). Every session starts read-only and a query stops after 60 s, so a BI dashboard cannot
-- hold the warehouse's locks or CPU for long. A later migration that adds a reporting table grants
-- SELECT on it in the same file.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vatstats_reader') THEN
        CREATE ROLE vatstats_reader NOLOGIN;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'vatstats_reader not created: the warehouse user lacks CREATEROLE';
    WHEN duplicate_object THEN
        NULL;  -- another database on this server created it at the same moment
END
$$;

-- Reporting views ---------------------------------------------------------------------------------

CREATE VIEW vatstats.report_airport_hourly_traffic AS
SELECT date, airport, hour,
       coalesce(sum(movements) FILTER (WHERE movement_type = 'departure'), 0)::integer AS departures,
       coalesce(sum(movements) FILTER (WHERE movement_type = 'arrival'), 0)::integer   AS arrivals,
       sum(movements)::integer                                                        AS movements
FROM vatstats.movement_summaries
GROUP BY date, airport, hour;

COMMENT ON VIEW vatstats.report_airport_hourly_traffic IS 'Traffic by airport and UTC hour: departures, arrivals and their sum, over every aircraft type; hours with no movement have no row. Answers "when is this airport busy?".';
COMMENT ON COLUMN vatstats.report_airport_hourly_traffic.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.report_airport_hourly_traffic.airport IS 'The airport (ICAO code).';
COMMENT ON COLUMN vatstats.report_airport_hourly_traffic.hour IS 'The UTC hour, 0-23.';
COMMENT ON COLUMN vatstats.report_airport_hourly_traffic.departures IS 'Take-offs in that hour.';
COMMENT ON COLUMN vatstats.report_airport_hourly_traffic.arrivals IS 'Landings in that hour.';
COMMENT ON COLUMN vatstats.report_airport_hourly_traffic.movements IS 'Departures plus arrivals.';

CREATE VIEW vatstats.report_controller_hours AS
SELECT date, callsign, cid, facility, rating, sessions,
       round((minutes_online / 60.0)::numeric, 2) AS hours_online
FROM vatstats.controller_summaries;

COMMENT ON VIEW vatstats.report_controller_hours IS 'Controller hours per UTC day, position and member (sessions merged across reconnects of up to 5 minutes; ATIS not counted). Answers "who controlled what, and for how long?".';
COMMENT ON COLUMN vatstats.report_controller_hours.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.report_controller_hours.callsign IS 'The position''s callsign, e.g. ML_CTR.';
COMMENT ON COLUMN vatstats.report_controller_hours.cid IS 'The controller''s VATSIM member id.';
COMMENT ON COLUMN vatstats.report_controller_hours.facility IS 'VATSIM facility id (1 FSS, 2 DEL, 3 GND, 4 TWR, 5 APP, 6 CTR).';
COMMENT ON COLUMN vatstats.report_controller_hours.rating IS 'The controller''s VATSIM rating id.';
COMMENT ON COLUMN vatstats.report_controller_hours.sessions IS 'Sessions that day after merging reconnects.';
COMMENT ON COLUMN vatstats.report_controller_hours.hours_online IS 'Hours online that day, to the hundredth.';

CREATE VIEW vatstats.report_busiest_days AS
SELECT n.date,
       n.unique_pilots, n.unique_controllers,
       n.peak_pilots, n.peak_pilots_at, n.peak_controllers, n.peak_controllers_at,
       coalesce(m.movements, 0)::integer AS movements,
       rank() OVER (ORDER BY coalesce(m.movements, 0) DESC, n.unique_pilots DESC)::integer AS rank_by_movements,
       n.snapshots_ingested, n.snapshots_missed
FROM vatstats.network_daily_stats AS n
LEFT JOIN (SELECT date, sum(movements) AS movements FROM vatstats.movement_summaries GROUP BY date) AS m
       USING (date);

COMMENT ON VIEW vatstats.report_busiest_days IS 'Every summarised UTC day with its traffic and its rank by movements (1 = busiest). Answers "which were our busiest days?" (ORDER BY rank_by_movements).';
COMMENT ON COLUMN vatstats.report_busiest_days.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.report_busiest_days.unique_pilots IS 'Distinct pilots (member ids) seen that day.';
COMMENT ON COLUMN vatstats.report_busiest_days.unique_controllers IS 'Distinct controllers seen that day, ATIS not counted.';
COMMENT ON COLUMN vatstats.report_busiest_days.peak_pilots IS 'Most pilots online in one snapshot.';
COMMENT ON COLUMN vatstats.report_busiest_days.peak_pilots_at IS 'When the pilot peak was (its first snapshot).';
COMMENT ON COLUMN vatstats.report_busiest_days.peak_controllers IS 'Most controllers online in one snapshot.';
COMMENT ON COLUMN vatstats.report_busiest_days.peak_controllers_at IS 'When the controller peak was (its first snapshot).';
COMMENT ON COLUMN vatstats.report_busiest_days.movements IS 'Departures plus arrivals at every airport that day.';
COMMENT ON COLUMN vatstats.report_busiest_days.rank_by_movements IS 'The day''s rank by movements (ties broken by pilots), 1 = busiest.';
COMMENT ON COLUMN vatstats.report_busiest_days.snapshots_ingested IS 'Feed snapshots stored that day (5,760 is every one).';
COMMENT ON COLUMN vatstats.report_busiest_days.snapshots_missed IS 'Snapshots the feed published that were not stored (gaps).';

-- What the reader may read ------------------------------------------------------------------------

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vatstats_reader') THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO vatstats_reader', current_database());
        GRANT USAGE ON SCHEMA vatstats TO vatstats_reader;
        GRANT SELECT ON
            vatstats.flights, vatstats.atc_positions, vatstats.flight_positions, vatstats.traffic_movements,
            vatstats.movement_summaries, vatstats.flight_summaries, vatstats.controller_summaries,
            vatstats.network_daily_stats,
            vatstats.current_flights, vatstats.current_atc, vatstats.airport_hourly_movements,
            vatstats.report_airport_hourly_traffic, vatstats.report_controller_hours, vatstats.report_busiest_days
        TO vatstats_reader;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'SELECT not granted to vatstats_reader: the warehouse user may not grant it';
END
$$;
