-- A UTC day's contacts by controller callsign and member (controller_summaries' aircraft handled and
-- peak: core/flight_coverage.py). Contacts are cut at midnight, so a day's all start in it.
-- :day_start, :day_end  timestamptz
SELECT atc_callsign, atc_cid, pilot_cid, pilot_callsign, pilot_logon_time, started_at, ended_at
FROM vatstats.atc_contacts
WHERE started_at >= :day_start AND started_at < :day_end
