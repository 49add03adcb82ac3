-- The read API's departures and arrivals at one airport in a time window (a UTC day or one of its
-- hours), in time order, one page. The window prunes traffic_movements to one day partition.
-- :airport                       text: the ICAO code, upper case
-- :window_start, :window_end     timestamptz: the window, [window_start, window_end)
-- :after_at, :after_movement_type, :after_cid, :after_callsign, :after_logon_time
--                                the key of the previous page's last row (all NULL: first page)
-- :limit                         integer: rows to return (one more than shown)
SELECT at, movement_type, cid, callsign, logon_time, aircraft_type, filed_departure, filed_arrival,
       matches_flight_plan
FROM vatstats.traffic_movements
WHERE airport = :airport
  AND at >= CAST(:window_start AS timestamptz) AND at < CAST(:window_end AS timestamptz)
  AND (CAST(:after_at AS timestamptz) IS NULL
       OR (at, movement_type, cid, callsign, logon_time)
          > (CAST(:after_at AS timestamptz), CAST(:after_movement_type AS text), CAST(:after_cid AS integer),
             CAST(:after_callsign AS text), CAST(:after_logon_time AS timestamptz)))
ORDER BY at, movement_type, cid, callsign, logon_time
LIMIT :limit
