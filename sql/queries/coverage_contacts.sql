-- A window's ATC contacts by pilot connection (core/coverage_hourly.py: covered aircraft-minutes).
-- :window_start, :window_end  timestamptz
SELECT pilot_cid, pilot_logon_time, hashtext(pilot_callsign) AS callsign_hash, started_at, ended_at
FROM vatstats.atc_contacts
WHERE started_at >= :window_start AND started_at < :window_end
