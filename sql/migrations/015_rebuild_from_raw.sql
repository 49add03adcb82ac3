-- Rebuilding flights, atc_positions and flight_positions from the raw snapshots (issue 16, item 3;
-- vatstats_assets/storage/rebuild.py). A rebuild of a window of days replays the window's stored
-- snapshots through the ingest tick path, one transaction per snapshot; these tables make it
-- resumable after a crash and let it give back what the window does not decide.

-- The rebuild under way (at most one: rebuilds take an advisory lock). The row is written with the
-- window's preparation, advanced in the transaction of every snapshot applied, and deleted with the
-- finishing merge; a row left behind is a rebuild to resume.
CREATE TABLE vatstats.rebuild_progress (
    window_start      timestamptz NOT NULL,
    window_end        timestamptz NOT NULL,
    started_at        timestamptz NOT NULL DEFAULT now(),
    last_snapshot     timestamptz,
    snapshots_applied integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (window_start, window_end),
    CHECK (window_end > window_start)
);

-- Connections seen after the window (last_seen >= window_end), as stored before the rebuild: their
-- rows are replayed from the window's start state and merged back with these at the end, so the
-- days after the window keep what they decided (latest values, last_seen, a later moved_at).
-- Columns and their comments as the tables' own (LIKE copies no key, no generated expression).
CREATE TABLE vatstats.rebuild_held_flights (LIKE vatstats.flights INCLUDING COMMENTS);
ALTER TABLE vatstats.rebuild_held_flights DROP COLUMN last_seen_hour;
CREATE TABLE vatstats.rebuild_held_atc_positions (LIKE vatstats.atc_positions INCLUDING COMMENTS);

COMMENT ON TABLE vatstats.rebuild_progress IS 'The rebuild from the raw snapshots under way, if any: its window and the newest snapshot applied (vatstats_assets/storage/rebuild.py).';
COMMENT ON TABLE vatstats.rebuild_held_flights IS 'Flights rows of connections seen after the window being rebuilt, as they were before it; merged back when the rebuild finishes.';
COMMENT ON TABLE vatstats.rebuild_held_atc_positions IS 'atc_positions rows of connections seen after the window being rebuilt, as they were before it; merged back when the rebuild finishes.';
COMMENT ON COLUMN vatstats.rebuild_progress.window_start IS 'Start of the first UTC day rebuilt.';
COMMENT ON COLUMN vatstats.rebuild_progress.window_end IS 'End of the last UTC day rebuilt (exclusive).';
COMMENT ON COLUMN vatstats.rebuild_progress.started_at IS 'When the window was prepared (its rows reset to their state at window_start).';
COMMENT ON COLUMN vatstats.rebuild_progress.last_snapshot IS 'update_timestamp of the newest snapshot applied so far; NULL before the first. A resumed rebuild continues after it.';
COMMENT ON COLUMN vatstats.rebuild_progress.snapshots_applied IS 'Snapshots of the window applied so far.';
