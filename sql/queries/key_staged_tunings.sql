-- Give each staged tuning its connection's key, from the stages the same tick filled earlier in this
-- transaction: stage_flights for a pilot, stage_atc_positions (never an ATIS) for a controller.
-- A callsign is unique among a snapshot's pilots, and among its controllers. Callsigns are matched
-- byte for byte (COLLATE "C"): the same answer as the database's collation for equality, without
-- its costly comparisons should the planner sort to join.
INSERT INTO stage_tuning_connections
SELECT f.cid, s.callsign, f.logon_time, s.is_pilot, s.frequency_hz, s.channel_hz, s.site_latitudes, s.site_longitudes
FROM stage_transceiver_tunings AS s JOIN stage_flights AS f ON f.callsign COLLATE "C" = s.callsign
WHERE s.is_pilot
UNION ALL
SELECT a.cid, s.callsign, a.logon_time, s.is_pilot, s.frequency_hz, s.channel_hz, s.site_latitudes, s.site_longitudes
FROM stage_transceiver_tunings AS s JOIN stage_atc_positions AS a ON a.callsign COLLATE "C" = s.callsign
WHERE NOT s.is_pilot AND NOT a.is_atis
