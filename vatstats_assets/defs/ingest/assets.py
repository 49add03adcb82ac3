"""The ingest multi-asset: one feed snapshot -> raw snapshot, flights, ATC positions, track history, tuning runs."""


import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import sqlalchemy as sa

from vatstats_assets.core.feed import FeedFormatError
from vatstats_assets.core.freshness import FRESHNESS_LIMIT
from vatstats_assets.defs.conventions import INGEST_LANE_TAG, OWNERS
from vatstats_assets.defs.io_manager import write_metadata
from vatstats_assets.defs.resources import FeedResource, WarehouseResource
from vatstats_assets.feed_client import FeedRateLimited, FeedUnavailable
from vatstats_assets.regions import RegionError, load_region
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.ingest import (
    INGEST_WRITES,
    ensure_tick_partitions,
    parse_and_compress,
    prepare_tick,
    stored_state,
)

INGEST_GROUP = "ingest"
POSTGRES_KIND = {"postgres"}

# Feed hiccups are common and short: retry quickly, then back off, with jitter so that many
# deployments polling the same feed do not retry in lockstep.
FETCH_RETRY_POLICY = dg.RetryPolicy(
    max_retries=3, delay=1, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)

_DESCRIPTIONS = {
    "raw_feed_snapshot": "Every distinct VATSIM feed snapshot (keyed by general.update_timestamp), "
    "zstd-compressed with its byte sizes and record counts, so the tables below can be rebuilt.",
    "atc_positions": "One row per controller or ATIS connection (callsign, cid, logon time): "
    "frequency, facility, rating, ATIS text, first and last seen.",
    "flights": "One row per pilot connection (cid, callsign, logon time): latest position, "
    "flight plan, first and last seen, maximum altitude.",
    "flight_positions": "The track history, partitioned by day: one row per connection per "
    "snapshot in which it moved (parked aircraft are not repeated: rows_unchanged counts them).",
    "transceiver_tunings": "Runs of unchanged radio tuning per pilot or controller connection, from the "
    "transceivers feed fetched with the snapshot: a run is extended while it is seen again, not repeated.",
}


class IngestConfig(dg.Config):
    """Run config for one ingest run; the sensor sets it."""

    # The snapshot the sensor saw; the run fetches the feed itself and may find a newer one.
    expected_update_timestamp: str | None = None
    # Live ingestion ignores a snapshot older than the newest stored (a lagging mirror).
    allow_older: bool = False
    # The data URL the sensor's check was answered from. Each run is a process of its own, so the
    # status.json answer the sensor keeps for 5 minutes would otherwise be asked for again every
    # run; a URL that fails fails the run, and the sensor, which forgets it, finds another.
    data_url: str | None = None


def _unreachable(engine: sa.Engine, error: sa.exc.OperationalError) -> dg.Failure:
    """One sentence naming the database (never its password); raised, so the retry policy applies."""
    reason = str(error.orig if error.orig is not None else error).strip().splitlines()
    where = engine.url.render_as_string(hide_password=True)
    return dg.Failure(description=f"The warehouse database {where} cannot be reached: "
                                  f"{reason[0] if reason else type(error).__name__}")


def _spec(name: str) -> dg.AssetOut:
    mode, table = INGEST_WRITES[name]
    return dg.AssetOut(
        is_required=False,
        group_name=INGEST_GROUP,
        kinds=POSTGRES_KIND,
        owners=OWNERS,
        description=_DESCRIPTIONS[name],
        metadata=write_metadata(mode, table.qualified),
        io_manager_key="warehouse_io_manager",
        tags={"vatstats/layer": "raw" if name == "raw_feed_snapshot" else "core"},
        # The UI's freshness (Dagster's freshness daemon, from the last materialisation): failing past
        # the feed_is_fresh check's limit. 60 s is also Dagster's smallest window, so no warn window fits.
        freshness_policy=dg.FreshnessPolicy.time_window(fail_window=FRESHNESS_LIMIT),
    )


@dg.multi_asset(
    name="ingest_snapshot",
    outs={name: _spec(name) for name in INGEST_WRITES},
    can_subset=False,
    retry_policy=FETCH_RETRY_POLICY,
    op_tags=INGEST_LANE_TAG,
    description="Fetch the current VATSIM feed snapshot and store it once, in one transaction.",
)
def ingest_snapshot(context: dg.AssetExecutionContext, config: IngestConfig, feed: FeedResource,
                    warehouse: WarehouseResource):
    # The cycle collector is off while the tick is fetched, parsed and prepared, and the IO
    # manager keeps it off while it writes the outputs (see storage/gc_pause.py). The outputs are
    # all built before the first is handed over: a pause held across a yield would stay on for good
    # if a write failed, since Dagster then leaves this generator suspended, never closed.
    with collector_paused():
        outputs = list(_ingest(context, config, feed, warehouse))
    yield from outputs


def _ingest(context: dg.AssetExecutionContext, config: IngestConfig, feed: FeedResource,
            warehouse: WarehouseResource):
    started = time.perf_counter()
    try:
        with feed.client() as client:
            fetched, transceivers = client.fetch_with_transceivers(data_url=config.data_url)
        snapshot, compressed = parse_and_compress(fetched.body, store_names=warehouse.store_names)
    except FeedRateLimited as error:
        # The server said when to ask again: retrying sooner would ignore it. Not retried; the
        # sensor keeps the Retry-After in its cursor and polls again after it.
        raise dg.Failure(
            description=f"The VATSIM feed could not be ingested: {error}; not retried, the sensor waits first",
            allow_retries=False,
        ) from error
    except (FeedUnavailable, FeedFormatError) as error:
        # Raised, so the retry policy applies; nothing has been written.
        raise dg.Failure(description=f"The VATSIM feed could not be ingested: {error}") from error

    engine = warehouse.engine
    try:
        with engine.connect() as conn:
            state = stored_state(conn, snapshot.update_timestamp)
    except sa.exc.OperationalError as error:
        raise _unreachable(engine, error) from error
    if state.already_stored:
        context.log.info(f"Snapshot {snapshot.update_timestamp.isoformat()} is already stored; nothing to do.")
        return
    if state.latest and snapshot.update_timestamp < state.latest and not config.allow_older:
        context.log.warning(
            f"Snapshot {snapshot.update_timestamp.isoformat()} is older than the newest stored "
            f"({state.latest.isoformat()}); skipped so that nothing moves backwards."
        )
        return

    try:
        ensure_tick_partitions(engine, snapshot.update_timestamp.date())
    except sa.exc.OperationalError as error:
        raise _unreachable(engine, error) from error
    try:
        # Built once per process (the sector files and airport index are read then), not per tick.
        region = load_region(warehouse.region, Path(warehouse.airspace_dir) if warehouse.airspace_dir else None)
    except RegionError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from error
    tick = prepare_tick(
        snapshot, fetched.body, source=fetched.url, fetched_at=fetched.fetched_at,
        region=region, store_names=warehouse.store_names, compressed=compressed, transceivers=transceivers,
    )
    if tick.rejected:
        context.log.warning(f"Records left out of this snapshot: {tick.rejected}")
    if tick.transceivers_missing:
        context.log.warning(f"Stored without its transceivers: {tick.transceivers_missing}")
    age_s = (datetime.now(UTC) - snapshot.update_timestamp).total_seconds()
    common: dict[str, Any] = {
        "update_timestamp": snapshot.update_timestamp.isoformat(),
        "pilots_online": tick.pilots_online,
        "controllers_online": tick.controllers_online,
        "snapshot_age_s": round(age_s, 1),
        "prepare_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    extra: dict[str, dict[str, Any]] = {
        "raw_feed_snapshot": {
            "raw_bytes": tick.raw_bytes, "compressed_bytes": tick.compressed_bytes,
            "skipped_records": sum(tick.rejected.values()),
        },
        "flight_positions": {"positions_seen": len(tick.tables["flight_positions"])},
        "transceiver_tunings": {
            "tunings_seen": len(tick.tables["transceiver_tunings"]),
            "transceivers_missing": tick.transceivers_missing or "",
            "transceivers_skipped": sum(tick.transceivers_skipped.values()),
        },
    }
    for name in INGEST_WRITES:  # in writing order: track positions after the flights they are taken from
        yield dg.Output(tick.tables[name], output_name=name, metadata={**common, **extra.get(name, {})})
