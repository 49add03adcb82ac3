-- Controller connections (no ATIS, no observers) online during one UTC day, with the frequency
-- that tells which sector they staff.
-- :day_start, :day_end  timestamptz  the day's window
SELECT callsign, frequency_khz, facility, least(logon_time, first_seen) AS started, last_seen
FROM vatstats.atc_positions
WHERE NOT is_atis
  AND facility > 0
  AND last_seen >= :day_start
  AND least(logon_time, first_seen) < :day_end
ORDER BY callsign, logon_time;
