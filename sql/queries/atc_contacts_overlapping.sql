-- ATC contacts overlapping a period, as bench/score_contacts.py scores them against the simulator's
-- ground truth (every column of the contact: the two connections, facility, channel, interval).
-- :window_start, :window_end  timestamptz: the period scored
SELECT pilot_cid, pilot_callsign, pilot_logon_time, atc_cid, atc_callsign, atc_logon_time,
       facility, channel_hz, started_at, ended_at
FROM vatstats.atc_contacts
WHERE started_at < :window_end AND ended_at > :window_start
ORDER BY started_at, pilot_cid, atc_callsign;
