-- What the summaries' coverage checks count in a window (defs/summaries/daily_checks.py):
--   flights: covered time above the time online or, while airborne, above the airborne time (a
--     millisecond's rounding allowed), or a share outside [0, 1];
--   controllers: a peak of aircraft at once above the aircraft handled that day.
-- :window_start, :window_end  timestamptz
SELECT
    (SELECT count(*) FROM vatstats.flight_summaries
     WHERE landing_at >= :window_start AND landing_at < :window_end
       AND (atc_covered_share NOT BETWEEN 0 AND 1 OR atc_airborne_covered_share NOT BETWEEN 0 AND 1
            OR atc_airborne_covered_seconds > airborne_minutes * 60 + 0.001
            OR atc_airborne_covered_seconds > atc_covered_seconds + 0.001
            OR greatest(covered_fss_seconds, covered_delivery_seconds, covered_ground_seconds,
                        covered_tower_seconds, covered_approach_seconds, covered_centre_seconds)
               > atc_covered_seconds + 0.001)
    ) AS flights,
    (SELECT count(*) FROM vatstats.controller_summaries
     WHERE date >= CAST(:window_start AS date) AND date < CAST(:window_end AS date)
       AND peak_aircraft > aircraft_handled
    ) AS controllers
