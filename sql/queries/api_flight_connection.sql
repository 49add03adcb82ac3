-- The read API's one pilot connection (a flights row by its primary key), with where it was last.
-- :cid         integer      the member's VATSIM id
-- :callsign    text         the connection's callsign
-- :logon_time  timestamptz  when the connection logged on (the feed's logon_time)
SELECT cid, callsign, logon_time, name, server, pilot_rating, military_rating,
       latitude, longitude, altitude_ft, groundspeed_kt, heading_deg, transponder, qnh_mb,
       flight_rules, aircraft, aircraft_type, departure, arrival, alternate, cruise_tas_kt,
       planned_altitude_ft, deptime, enroute_time, route, remarks, revision_id, assigned_transponder,
       last_updated, first_seen, last_seen, moved_at, max_altitude_ft
FROM vatstats.flights
WHERE cid = :cid AND callsign = :callsign AND logon_time = CAST(:logon_time AS timestamptz)
