-- The session stages of a batch of snapshots written at once (storage/tick_batch.py); ON COMMIT
-- DELETE ROWS empties them at every commit, and they live as long as the connection:
-- stage_batch_positions  every flight's position in every snapshot of the batch (what
--                        one-at-a-time writing offers flight_positions, before the moved rule)
-- stage_batch_runs       the tuning runs the batch makes (core/tick_batch.py tuning_runs)
CREATE TEMP TABLE IF NOT EXISTS stage_batch_positions (
    cid            integer          NOT NULL,
    callsign       text             NOT NULL,
    logon_time     timestamptz      NOT NULL,
    observed_at    timestamptz      NOT NULL,
    latitude       double precision NOT NULL,
    longitude      double precision NOT NULL,
    altitude_ft    integer          NOT NULL,
    groundspeed_kt integer          NOT NULL,
    heading_deg    smallint         NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_batch_runs (
    run            integer     NOT NULL,
    cid            integer     NOT NULL,
    callsign       text        NOT NULL,
    logon_time     timestamptz NOT NULL,
    is_pilot       boolean     NOT NULL,
    frequency_hz   integer     NOT NULL,
    channel_hz     integer     NOT NULL,
    first_seen     timestamptz NOT NULL,
    last_seen      timestamptz NOT NULL,
    site_latitudes  real[],
    site_longitudes real[],
    continues_from timestamptz
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_batch_moved (
    cid         integer     NOT NULL,
    callsign    text        NOT NULL,
    logon_time  timestamptz NOT NULL,
    observed_at timestamptz NOT NULL
) ON COMMIT DELETE ROWS
