-- The data dictionary: one user-facing line for every vatstats table, view and column.
-- The Dagster UI shows these comments as each asset's column schema (storage/catalog.py reads them),
-- and psql shows them with \d+. Times are UTC; a "connection" is one logon (cid, callsign, logon time).

COMMENT ON SCHEMA vatstats IS 'The VATSIM statistics warehouse written by vatstats (Dagster assets).';

COMMENT ON TABLE vatstats.schema_migrations IS 'Migrations applied by vatstats migrate: one row per sql/migrations file.';
COMMENT ON COLUMN vatstats.schema_migrations.version IS 'The migration''s number (the NNN of NNN_description.sql).';
COMMENT ON COLUMN vatstats.schema_migrations.name IS 'The migration''s file name.';
COMMENT ON COLUMN vatstats.schema_migrations.checksum IS 'SHA-256 of the file as applied; an edited, applied migration is refused.';
COMMENT ON COLUMN vatstats.schema_migrations.applied_at IS 'When the migration was applied.';

-- Ingest --------------------------------------------------------------------------------------

COMMENT ON TABLE vatstats.feed_snapshots IS 'Every distinct feed snapshot, raw JSON gzip-compressed, with counts; partitioned by day, kept VATSTATS_RAW_RETENTION_DAYS.';
COMMENT ON COLUMN vatstats.feed_snapshots.update_timestamp IS 'The feed''s general.update_timestamp: identifies the snapshot (stored once).';
COMMENT ON COLUMN vatstats.feed_snapshots.fetched_at IS 'When vatstats downloaded the snapshot.';
COMMENT ON COLUMN vatstats.feed_snapshots.source IS 'The data URL the snapshot was downloaded from (or the replayed file).';
COMMENT ON COLUMN vatstats.feed_snapshots.body_gzip IS 'The snapshot''s JSON exactly as received, gzip-compressed, to rebuild the other tables.';
COMMENT ON COLUMN vatstats.feed_snapshots.raw_bytes IS 'Size of the JSON as received, in bytes.';
COMMENT ON COLUMN vatstats.feed_snapshots.compressed_bytes IS 'Size of body_gzip, in bytes.';
COMMENT ON COLUMN vatstats.feed_snapshots.pilots IS 'Pilots in the whole feed (every region).';
COMMENT ON COLUMN vatstats.feed_snapshots.controllers IS 'Controllers in the whole feed, ATIS stations not counted.';
COMMENT ON COLUMN vatstats.feed_snapshots.atis IS 'ATIS stations in the whole feed.';
COMMENT ON COLUMN vatstats.feed_snapshots.prefiles IS 'Flight plans filed by pilots not yet connected.';
COMMENT ON COLUMN vatstats.feed_snapshots.pilots_stored IS 'Pilots inside the stored region (VATSTATS_REGION) written to flights.';
COMMENT ON COLUMN vatstats.feed_snapshots.controllers_stored IS 'Controllers inside the stored region written to atc_positions, ATIS not counted.';
COMMENT ON COLUMN vatstats.feed_snapshots.skipped_records IS 'Records left out because they could not be read (the run''s log says why).';
COMMENT ON COLUMN vatstats.feed_snapshots.duplicates_dropped IS 'Records the feed listed twice in this snapshot, kept once.';
COMMENT ON COLUMN vatstats.feed_snapshots.region IS 'The region stored from this snapshot (vatpac or global).';
COMMENT ON COLUMN vatstats.feed_snapshots.stored_at IS 'When the row was written; stored_at - update_timestamp is the ingest latency.';

COMMENT ON TABLE vatstats.flights IS 'One row per pilot connection: the latest position and flight plan, first and last seen, highest altitude.';
COMMENT ON COLUMN vatstats.flights.cid IS 'The pilot''s VATSIM member id.';
COMMENT ON COLUMN vatstats.flights.callsign IS 'The callsign flown, e.g. QFA1.';
COMMENT ON COLUMN vatstats.flights.logon_time IS 'When this connection logged on; with cid and callsign it identifies the connection.';
COMMENT ON COLUMN vatstats.flights.name IS 'The member''s name as shown on the network (empty when VATSTATS_STORE_NAMES=false).';
COMMENT ON COLUMN vatstats.flights.server IS 'The VATSIM server the pilot is connected to.';
COMMENT ON COLUMN vatstats.flights.pilot_rating IS 'VATSIM pilot rating id (0 = none), as in the feed''s pilot_ratings list.';
COMMENT ON COLUMN vatstats.flights.military_rating IS 'VATSIM military rating id; empty in feeds before 2022.';
COMMENT ON COLUMN vatstats.flights.latitude IS 'Latest latitude, degrees north.';
COMMENT ON COLUMN vatstats.flights.longitude IS 'Latest longitude, degrees east.';
COMMENT ON COLUMN vatstats.flights.altitude_ft IS 'Latest altitude in feet above mean sea level.';
COMMENT ON COLUMN vatstats.flights.groundspeed_kt IS 'Latest ground speed in knots.';
COMMENT ON COLUMN vatstats.flights.heading_deg IS 'Latest heading in degrees.';
COMMENT ON COLUMN vatstats.flights.transponder IS 'Latest transponder (squawk) code.';
COMMENT ON COLUMN vatstats.flights.qnh_mb IS 'Latest altimeter setting in hectopascals (millibars).';
COMMENT ON COLUMN vatstats.flights.flight_rules IS 'Filed flight rules: I (instrument) or V (visual); empty without a flight plan.';
COMMENT ON COLUMN vatstats.flights.aircraft IS 'The aircraft as filed, in ICAO format (e.g. B738/M-SDE3FGHIRWY/LB1).';
COMMENT ON COLUMN vatstats.flights.aircraft_type IS 'The ICAO aircraft type designator, e.g. B738.';
COMMENT ON COLUMN vatstats.flights.departure IS 'Filed departure airport (ICAO code).';
COMMENT ON COLUMN vatstats.flights.arrival IS 'Filed destination airport (ICAO code).';
COMMENT ON COLUMN vatstats.flights.alternate IS 'Filed alternate airport (ICAO code).';
COMMENT ON COLUMN vatstats.flights.cruise_tas_kt IS 'Filed cruise true airspeed in knots.';
COMMENT ON COLUMN vatstats.flights.planned_altitude_ft IS 'Filed cruise altitude in feet (FL380 is 38000); empty when filed as VFR or blank.';
COMMENT ON COLUMN vatstats.flights.deptime IS 'Filed departure time, HHMM UTC, as typed by the pilot.';
COMMENT ON COLUMN vatstats.flights.enroute_time IS 'Filed time en route, HHMM, as typed by the pilot.';
COMMENT ON COLUMN vatstats.flights.route IS 'Filed route.';
COMMENT ON COLUMN vatstats.flights.remarks IS 'Filed remarks.';
COMMENT ON COLUMN vatstats.flights.revision_id IS 'How many times the flight plan has been amended.';
COMMENT ON COLUMN vatstats.flights.assigned_transponder IS 'Transponder code assigned by ATC; empty in feeds before 2022.';
COMMENT ON COLUMN vatstats.flights.last_updated IS 'When the network last updated this pilot''s position (the feed''s last_updated).';
COMMENT ON COLUMN vatstats.flights.first_seen IS 'The first snapshot this connection appeared in.';
COMMENT ON COLUMN vatstats.flights.last_seen IS 'The latest snapshot this connection appeared in.';
COMMENT ON COLUMN vatstats.flights.max_altitude_ft IS 'Highest altitude seen on this connection, in feet.';

COMMENT ON TABLE vatstats.atc_positions IS 'One row per controller or ATIS connection: frequency, facility, rating, first and last seen.';
COMMENT ON COLUMN vatstats.atc_positions.callsign IS 'The position''s callsign, e.g. SY_TWR or YSSY_ATIS.';
COMMENT ON COLUMN vatstats.atc_positions.cid IS 'The controller''s VATSIM member id.';
COMMENT ON COLUMN vatstats.atc_positions.logon_time IS 'When this connection logged on; with callsign and cid it identifies the connection.';
COMMENT ON COLUMN vatstats.atc_positions.name IS 'The member''s name as shown on the network (empty when VATSTATS_STORE_NAMES=false).';
COMMENT ON COLUMN vatstats.atc_positions.frequency_khz IS 'Frequency in kHz (118.700 MHz is 118700); observers use 199998.';
COMMENT ON COLUMN vatstats.atc_positions.facility IS 'VATSIM facility id: 0 observer, 1 FSS, 2 delivery, 3 ground, 4 tower, 5 approach, 6 centre.';
COMMENT ON COLUMN vatstats.atc_positions.rating IS 'VATSIM controller rating id, as in the feed''s ratings list (e.g. 5 = C1).';
COMMENT ON COLUMN vatstats.atc_positions.server IS 'The VATSIM server the controller is connected to.';
COMMENT ON COLUMN vatstats.atc_positions.visual_range IS 'The position''s visibility range in nautical miles.';
COMMENT ON COLUMN vatstats.atc_positions.is_atis IS 'True for an ATIS station (the feed''s atis section), false for a controller.';
COMMENT ON COLUMN vatstats.atc_positions.atis_code IS 'The current ATIS information letter (ATIS stations only).';
COMMENT ON COLUMN vatstats.atc_positions.text_atis IS 'The latest controller information or ATIS text, lines joined with newlines.';
COMMENT ON COLUMN vatstats.atc_positions.last_updated IS 'When the network last updated this connection (the feed''s last_updated).';
COMMENT ON COLUMN vatstats.atc_positions.first_seen IS 'The first snapshot this connection appeared in.';
COMMENT ON COLUMN vatstats.atc_positions.last_seen IS 'The latest snapshot this connection appeared in.';

COMMENT ON TABLE vatstats.flight_positions IS 'Track history: a pilot connection''s position in each snapshot in which it moved; partitioned by day.';
COMMENT ON COLUMN vatstats.flight_positions.cid IS 'The pilot''s VATSIM member id.';
COMMENT ON COLUMN vatstats.flight_positions.callsign IS 'The callsign flown.';
COMMENT ON COLUMN vatstats.flight_positions.logon_time IS 'When the connection logged on (joins to flights on cid, callsign, logon_time).';
COMMENT ON COLUMN vatstats.flight_positions.observed_at IS 'The snapshot (update_timestamp) this position was reported in.';
COMMENT ON COLUMN vatstats.flight_positions.latitude IS 'Latitude, degrees north.';
COMMENT ON COLUMN vatstats.flight_positions.longitude IS 'Longitude, degrees east.';
COMMENT ON COLUMN vatstats.flight_positions.altitude_ft IS 'Altitude in feet above mean sea level.';
COMMENT ON COLUMN vatstats.flight_positions.groundspeed_kt IS 'Ground speed in knots.';
COMMENT ON COLUMN vatstats.flight_positions.heading_deg IS 'Heading in degrees.';

COMMENT ON VIEW vatstats.current_flights IS 'Pilots online now: the flights rows seen in the latest stored snapshot (same columns as flights).';
COMMENT ON VIEW vatstats.current_atc IS 'Controllers and ATIS online now: the atc_positions rows seen in the latest stored snapshot.';

-- Movements -----------------------------------------------------------------------------------

COMMENT ON TABLE vatstats.traffic_movements IS 'Every departure and arrival detected from the track history; partitioned by UTC day like its Dagster asset.';
COMMENT ON COLUMN vatstats.traffic_movements.airport IS 'The airport (ICAO code) the aircraft departed from or arrived at, as detected from its track.';
COMMENT ON COLUMN vatstats.traffic_movements.movement_type IS 'departure (take-off) or arrival (final full-stop landing).';
COMMENT ON COLUMN vatstats.traffic_movements.at IS 'When the aircraft took off or touched down.';
COMMENT ON COLUMN vatstats.traffic_movements.cid IS 'The pilot''s VATSIM member id.';
COMMENT ON COLUMN vatstats.traffic_movements.callsign IS 'The callsign flown.';
COMMENT ON COLUMN vatstats.traffic_movements.logon_time IS 'When the connection logged on (joins to flights).';
COMMENT ON COLUMN vatstats.traffic_movements.aircraft_type IS 'The filed ICAO aircraft type designator, if any.';
COMMENT ON COLUMN vatstats.traffic_movements.filed_departure IS 'The departure airport in the flight plan, if any.';
COMMENT ON COLUMN vatstats.traffic_movements.filed_arrival IS 'The destination airport in the flight plan, if any.';
COMMENT ON COLUMN vatstats.traffic_movements.matches_flight_plan IS 'True when the detected airport is the one filed for this movement.';

-- Summaries -----------------------------------------------------------------------------------

COMMENT ON TABLE vatstats.movement_summaries IS 'Departures and arrivals per airport, UTC day, hour and aircraft type; one Dagster partition per day.';
COMMENT ON COLUMN vatstats.movement_summaries.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.movement_summaries.airport IS 'The airport (ICAO code).';
COMMENT ON COLUMN vatstats.movement_summaries.hour IS 'The UTC hour of the day, 0 to 23.';
COMMENT ON COLUMN vatstats.movement_summaries.movement_type IS 'departure or arrival.';
COMMENT ON COLUMN vatstats.movement_summaries.aircraft_type IS 'The ICAO aircraft type designator; ZZZZ when none was filed.';
COMMENT ON COLUMN vatstats.movement_summaries.movements IS 'How many movements of this kind in that hour.';

COMMENT ON VIEW vatstats.airport_hourly_movements IS 'Departures and arrivals per airport, UTC day and hour, over all aircraft types.';
COMMENT ON COLUMN vatstats.airport_hourly_movements.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.airport_hourly_movements.airport IS 'The airport (ICAO code).';
COMMENT ON COLUMN vatstats.airport_hourly_movements.hour IS 'The UTC hour of the day, 0 to 23.';
COMMENT ON COLUMN vatstats.airport_hourly_movements.departures IS 'Departures in that hour.';
COMMENT ON COLUMN vatstats.airport_hourly_movements.arrivals IS 'Arrivals in that hour.';

COMMENT ON TABLE vatstats.flight_summaries IS 'One row per flight completed (final full-stop landing) on a UTC day; one Dagster partition per day.';
COMMENT ON COLUMN vatstats.flight_summaries.cid IS 'The pilot''s VATSIM member id.';
COMMENT ON COLUMN vatstats.flight_summaries.callsign IS 'The callsign flown.';
COMMENT ON COLUMN vatstats.flight_summaries.logon_time IS 'When the connection the aircraft landed on logged on.';
COMMENT ON COLUMN vatstats.flight_summaries.landing_at IS 'When the aircraft touched down for the final landing; the day it belongs to.';
COMMENT ON COLUMN vatstats.flight_summaries.aircraft_type IS 'The filed ICAO aircraft type designator, if any.';
COMMENT ON COLUMN vatstats.flight_summaries.flight_rules IS 'Filed flight rules: I (instrument) or V (visual), if filed.';
COMMENT ON COLUMN vatstats.flight_summaries.filed_departure IS 'The departure airport in the flight plan, if any.';
COMMENT ON COLUMN vatstats.flight_summaries.filed_arrival IS 'The destination airport in the flight plan, if any.';
COMMENT ON COLUMN vatstats.flight_summaries.departure IS 'The airport it took off from, as detected; empty if it connected already airborne.';
COMMENT ON COLUMN vatstats.flight_summaries.arrival IS 'The airport it landed at, as detected.';
COMMENT ON COLUMN vatstats.flight_summaries.off_block_at IS 'When it started to taxi for departure, if seen.';
COMMENT ON COLUMN vatstats.flight_summaries.takeoff_at IS 'When it took off, if seen.';
COMMENT ON COLUMN vatstats.flight_summaries.on_block_at IS 'When it stopped after landing, if seen.';
COMMENT ON COLUMN vatstats.flight_summaries.airborne_minutes IS 'Minutes from take-off to landing; empty if the take-off was not seen.';
COMMENT ON COLUMN vatstats.flight_summaries.distance_nm IS 'Distance flown along the track, take-off (or first airborne position) to landing, in nautical miles.';
COMMENT ON COLUMN vatstats.flight_summaries.max_altitude_ft IS 'Highest altitude on the flight, in feet.';
COMMENT ON COLUMN vatstats.flight_summaries.diverted IS 'True when it landed somewhere other than its filed destination.';

COMMENT ON TABLE vatstats.controller_summaries IS 'Minutes online per controller, position and UTC day (ATIS excluded); one Dagster partition per day.';
COMMENT ON COLUMN vatstats.controller_summaries.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.controller_summaries.callsign IS 'The position''s callsign.';
COMMENT ON COLUMN vatstats.controller_summaries.cid IS 'The controller''s VATSIM member id.';
COMMENT ON COLUMN vatstats.controller_summaries.facility IS 'VATSIM facility id of the latest connection (4 tower, 5 approach, 6 centre, ...).';
COMMENT ON COLUMN vatstats.controller_summaries.rating IS 'VATSIM controller rating id of the latest connection.';
COMMENT ON COLUMN vatstats.controller_summaries.sessions IS 'Sessions that day; reconnects within 5 minutes count as one session.';
COMMENT ON COLUMN vatstats.controller_summaries.minutes_online IS 'Minutes online within that day (a session across midnight is split), 0 to 1440.';

COMMENT ON TABLE vatstats.network_daily_stats IS 'Network figures per UTC day within the stored region; one Dagster partition per day.';
COMMENT ON COLUMN vatstats.network_daily_stats.date IS 'The UTC day.';
COMMENT ON COLUMN vatstats.network_daily_stats.unique_pilots IS 'Distinct pilots (member ids) connected at some point that day.';
COMMENT ON COLUMN vatstats.network_daily_stats.unique_controllers IS 'Distinct controllers (member ids, ATIS excluded) connected at some point that day.';
COMMENT ON COLUMN vatstats.network_daily_stats.peak_pilots IS 'Most pilots online in any one snapshot that day.';
COMMENT ON COLUMN vatstats.network_daily_stats.peak_pilots_at IS 'The snapshot with the most pilots online (the first, on a tie).';
COMMENT ON COLUMN vatstats.network_daily_stats.peak_controllers IS 'Most controllers online in any one snapshot that day.';
COMMENT ON COLUMN vatstats.network_daily_stats.peak_controllers_at IS 'The snapshot with the most controllers online (the first, on a tie).';
COMMENT ON COLUMN vatstats.network_daily_stats.snapshots_ingested IS 'Feed snapshots stored that day (5,760 at one every 15 s).';
COMMENT ON COLUMN vatstats.network_daily_stats.snapshots_missed IS 'Snapshots missing from the 15-second cadence (feed or ingest gaps).';
COMMENT ON COLUMN vatstats.network_daily_stats.busiest_airports IS 'The ten airports with the most movements: a JSON list of {airport, movements}.';
