-- What atc_contacts' checks count in a window (defs/coverage/contacts_checks.py), each a rule every
-- row keeps:
--   outside_connections: a contact reaching before either connection was first seen or after it was
--     last seen, by more than half a snapshot interval (the half-interval rule's own reach), or with
--     a connection that is not stored at all;
--   overlapping: two contacts of one pilot, controller and channel overlapping in time (the pair's
--     covered time would count twice);
--   over_midnight: a contact not cut at the midnight after the day it starts on.
-- :window_start, :window_end  timestamptz;  :half_interval  interval
WITH contacts AS (
    SELECT * FROM vatstats.atc_contacts WHERE started_at >= :window_start AND started_at < :window_end
)
SELECT
    (SELECT count(*)
     FROM contacts c
     LEFT JOIN vatstats.flights f
       ON f.cid = c.pilot_cid AND f.callsign = c.pilot_callsign AND f.logon_time = c.pilot_logon_time
     LEFT JOIN vatstats.atc_positions a
       ON a.cid = c.atc_cid AND a.callsign = c.atc_callsign AND a.logon_time = c.atc_logon_time
     WHERE f.cid IS NULL OR a.cid IS NULL
        OR c.started_at < GREATEST(f.first_seen, a.first_seen) - CAST(:half_interval AS interval)
        OR c.ended_at > LEAST(f.last_seen, a.last_seen) + CAST(:half_interval AS interval)
    ) AS outside_connections,
    (SELECT count(*)
     FROM (SELECT ended_at, lead(started_at) OVER (
               PARTITION BY pilot_cid, pilot_callsign, pilot_logon_time, atc_cid, atc_callsign, atc_logon_time,
                            channel_hz
               ORDER BY started_at) AS next_start
           FROM contacts) AS ordered
     WHERE next_start < ended_at
    ) AS overlapping,
    (SELECT count(*)
     FROM contacts
     WHERE ended_at > date_trunc('day', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 day'
    ) AS over_midnight
