"""Eighty minutes of simulated feed over midnight with its transceivers, lost feeds and a recorder
gap: what writing paths (one at a time, batches, rebuilds) must all agree on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import orjson
import sqlalchemy as sa

from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.region import region
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.sim.simulation import generate_feed
from vatstats_assets.storage.ingest import PreparedTick, ensure_tick_partitions, prepare_tick, write_tick
from vatstats_tests.storage.test_rebuild import CHECKSUMS

TABLES = {
    **CHECKSUMS,
    "transceiver_tunings": "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY cid, callsign, logon_time,"
                           " frequency_hz, first_seen)) FROM vatstats.transceiver_tunings t",
}
# 80 minutes over midnight at 60 pilots: departures, landings, parked aircraft, controllers coming
# and going; every third transceivers feed of one stretch lost, and a stretch of snapshots lost.
START = datetime(2026, 11, 19, 23, 20, tzinfo=UTC)


def checksums(engine: sa.Engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        return {table: tuple(conn.execute(sa.text(sql)).one()) for table, sql in TABLES.items()}


def midnight_ticks() -> list[PreparedTick]:
    prepared = []
    for index, (moment, data, transceivers) in enumerate(generate_feed(START, 80 / 60, 60, seed=11, controllers=10)):
        if 120 <= index < 131:
            continue  # the recorder was down for almost three minutes
        body = orjson.dumps(data)
        feed = (TransceiversFeed.not_received("lost") if 40 <= index < 100 and index % 3 == 0
                else TransceiversFeed.received(orjson.dumps(transceivers)))
        prepared.append(prepare(body, feed, moment))
    return prepared


def prepare(body: bytes, transceivers: TransceiversFeed, moment: datetime) -> PreparedTick:
    return prepare_tick(parse_snapshot(body), body, source="test", fetched_at=moment + timedelta(seconds=1),
                        region=region("global"), store_names=True, transceivers=transceivers)


def one_at_a_time(engine: sa.Engine, ticks: Sequence[PreparedTick]) -> None:
    for tick in ticks:
        ensure_tick_partitions(engine, tick.update_timestamp.date())
        write_tick(engine, tick)


def empty_ingest_tables(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE vatstats.feed_snapshots, vatstats.flights, vatstats.atc_positions,"
                             " vatstats.flight_positions, vatstats.transceiver_tunings")
