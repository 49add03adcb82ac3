-- Whether the warehouse has ever recorded a movement at an airport (the read API's 404 test for codes
-- the airport database does not list). The primary key of each day partition starts with airport.
-- :airport  text: the ICAO code, upper case
SELECT EXISTS (SELECT 1 FROM vatstats.traffic_movements WHERE airport = :airport) AS seen
