-- The session stages of a batch of snapshots written at once (storage/tick_batch.py); ON COMMIT
-- DELETE ROWS empties them at every commit, and they live as long as the connection:
-- stage_batch_positions  every flight's position in every snapshot of the batch (what
--                        one-at-a-time writing offers flight_positions, before the moved rule)
-- stage_batch_moved      when each connection last moved (batch_judge_positions.sql)
-- stage_batch_runs       the tuning runs the batch makes (core/tick_batch.py tuning_runs), numbered,
--                        with the stored run's last_seen each may continue (last_seen_hour unused)
CREATE TEMP TABLE IF NOT EXISTS stage_batch_positions (LIKE vatstats.flight_positions) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_batch_moved (
    cid        integer NOT NULL,
    callsign   text NOT NULL,
    logon_time timestamptz NOT NULL,
    last_moved timestamptz NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_batch_runs (
    run            integer NOT NULL,
    LIKE vatstats.transceiver_tunings,
    continues_from timestamptz
) ON COMMIT DELETE ROWS
