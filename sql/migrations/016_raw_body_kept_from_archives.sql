-- `vatstats replay` of a gzip archive stores each file's own gzip bytes as the raw body (and the
-- transceivers file's beside it) instead of compressing the JSON again with zstd: the compression
-- took a sixth of a replay worker's time (vatstats_assets/commands/replay_prepare.py). So gzip rows
-- are no longer only those written before migration 006. Documentation only: the CHECK already
-- allows both encodings.

COMMENT ON COLUMN vatstats.feed_snapshots.body_encoding IS 'How body and transceivers_body are compressed: zstd (ingestion since migration 006, and replays of plain or zstd files) or gzip (rows written before migration 006, and replays of gzip archives, whose files are kept as they were).';
