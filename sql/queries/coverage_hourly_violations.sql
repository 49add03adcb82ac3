-- Rows of coverage_hourly in a window breaking its rules (defs/coverage/hourly_checks.py): covered
-- aircraft-minutes above the aircraft-minutes, more aircraft at once than in the hour, more staffed
-- minutes than an hour holds, or more aircraft-minutes than its aircraft can have spent in an hour.
-- :start, :end  date
SELECT count(*)
FROM vatstats.coverage_hourly
WHERE date >= :start AND date < :end
  AND (covered_aircraft_minutes > aircraft_minutes OR peak_aircraft > aircraft OR staffed_minutes > 60
       OR aircraft_minutes > 60 * aircraft OR covered_share NOT BETWEEN 0 AND 1)
