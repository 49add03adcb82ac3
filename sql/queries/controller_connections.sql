-- Controller connections (ATIS stations left out) that may belong to a session on one UTC day:
-- online during the day, or ending or starting within the reconnect gap of it, so that a session
-- merged across a short reconnect around midnight is seen whole.
-- :context_start  timestamptz  the day's first instant minus the reconnect gap
-- :context_end    timestamptz  the next day's first instant plus the reconnect gap
SELECT callsign, cid, logon_time, last_seen, facility, rating
FROM vatstats.atc_positions
WHERE NOT is_atis
  AND last_seen >= :context_start
  AND least(logon_time, first_seen) < :context_end
ORDER BY callsign, cid, logon_time;
