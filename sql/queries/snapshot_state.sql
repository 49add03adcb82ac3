-- Is the snapshot with update_timestamp :ts stored already, and which snapshot is the newest stored?
-- One round trip for the ingest asset's "store once, never go backwards" decision.
-- :ts  timestamptz  the snapshot's general.update_timestamp
SELECT
    EXISTS (SELECT 1 FROM vatstats.feed_snapshots WHERE update_timestamp = :ts) AS already_stored,
    (SELECT max(update_timestamp) FROM vatstats.feed_snapshots) AS latest;
