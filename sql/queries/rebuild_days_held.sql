-- Which of the given UTC days still hold raw snapshots (retention drops whole days): a rebuild
-- replays only days held, and refuses the others before touching anything.
-- :day_starts  timestamptz[]  the start (00:00 UTC) of each day asked about
SELECT d AS day_start
FROM unnest(CAST(:day_starts AS timestamptz[])) AS d
WHERE EXISTS (
    SELECT 1 FROM vatstats.feed_snapshots AS s
    WHERE s.update_timestamp >= d AND s.update_timestamp < d + interval '24 hours'
);
