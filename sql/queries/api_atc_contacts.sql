-- The read API's ATC contacts starting on a range of UTC days, optionally of one controller callsign
-- or one pilot (member), one page in (started_at, primary key) order.
-- :range_start, :range_end                 timestamptz: the days' bounds
-- :controller                              text: one controller callsign, or NULL
-- :pilot_cid                               integer: one pilot's VATSIM id, or NULL
-- :after_started_at ... :after_channel_hz  the key of the previous page's last row (all NULL: first page)
-- :limit                                   integer: rows to return (one more than shown)
SELECT pilot_cid, pilot_callsign, pilot_logon_time, atc_cid, atc_callsign, atc_logon_time, facility, channel_hz,
       started_at, ended_at, extract(epoch FROM ended_at - started_at) AS seconds
FROM vatstats.atc_contacts
WHERE started_at >= :range_start AND started_at < :range_end
  AND (CAST(:controller AS text) IS NULL OR atc_callsign = CAST(:controller AS text))
  AND (CAST(:pilot_cid AS integer) IS NULL OR pilot_cid = CAST(:pilot_cid AS integer))
  AND (CAST(:after_started_at AS timestamptz) IS NULL
       OR (started_at, pilot_cid, pilot_callsign, pilot_logon_time, atc_cid, atc_callsign, atc_logon_time, channel_hz)
          > (CAST(:after_started_at AS timestamptz), CAST(:after_pilot_cid AS integer),
             CAST(:after_pilot_callsign AS text), CAST(:after_pilot_logon_time AS timestamptz),
             CAST(:after_atc_cid AS integer), CAST(:after_atc_callsign AS text),
             CAST(:after_atc_logon_time AS timestamptz), CAST(:after_channel_hz AS integer)))
ORDER BY started_at, pilot_cid, pilot_callsign, pilot_logon_time, atc_cid, atc_callsign, atc_logon_time, channel_hz
LIMIT :limit
