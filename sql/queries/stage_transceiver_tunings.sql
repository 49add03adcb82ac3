-- The session's two stages for a tick's tunings (ON COMMIT DELETE ROWS empties them at every
-- commit; they live as long as the connection):
-- stage_transceiver_tunings  what Python sends (COPY), keyed by callsign: formatting a logon time
--                            per row was a third of that COPY's Python time;
-- stage_tuning_connections   the same rows with their connection's cid and logon_time, taken
--                            from the tick's own flights and atc_positions stages
--                            (sql/queries/key_staged_tunings.sql), which the UPDATE and the
--                            INSERT then read.
-- First and last seen are the tick's update_timestamp, bound once where they are written.
CREATE TEMP TABLE IF NOT EXISTS stage_transceiver_tunings (
    callsign        text    NOT NULL,
    is_pilot        boolean NOT NULL,
    frequency_hz    integer NOT NULL,
    channel_hz      integer NOT NULL,
    site_latitudes  real[],
    site_longitudes real[]
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_tuning_connections (
    cid             integer     NOT NULL,
    callsign        text        NOT NULL,
    logon_time      timestamptz NOT NULL,
    is_pilot        boolean     NOT NULL,
    frequency_hz    integer     NOT NULL,
    channel_hz      integer     NOT NULL,
    site_latitudes  real[],
    site_longitudes real[]
) ON COMMIT DELETE ROWS
