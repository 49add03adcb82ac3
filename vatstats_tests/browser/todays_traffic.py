"""A simulated hour of traffic that ended just before now, stored through the live tick path.

The dev stack's own simulator starts "now", so a minute after start-up today's track history holds
a minute of traffic and no movements. Storing an earlier hour first gives today's
traffic_movements partition real departures and arrivals. Its snapshots are all older than the
live simulator's first one, so the feed sensor's runs (which skip snapshots older than the newest
stored) are unaffected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
import sqlalchemy as sa

from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.region import region
from vatstats_assets.sim import generate_snapshots
from vatstats_assets.storage.ingest import TICK_PARTITIONED_TABLES, prepare_tick, write_tick
from vatstats_assets.storage.partitions import ensure_partitions

SNAPSHOT_INTERVAL = timedelta(seconds=15)
# An hour of 150 pilots: dozens of movements, stored in well under a minute.
HOURS = 1.0
PILOTS = 150
# Not the dev simulator's seed (7): a different population, so no connection is both here and live.
SEED = 11
# The hour ends this long before now, so every stored snapshot predates the live simulator's.
LEAD = timedelta(minutes=2)


@dataclass(frozen=True)
class SimulatedPeriod:
    start: datetime
    hours: float

    @property
    def end(self) -> datetime:
        return self.start + timedelta(hours=self.hours)


def period_before(now: datetime) -> SimulatedPeriod:
    """The hour ending LEAD before `now`, on the 15 s snapshot grid.

    Near midnight the hour starts yesterday: those snapshots are the day-before context that
    movement detection reads anyway, so the few minutes of today still show what they can.
    """
    end = now - LEAD
    start = end - timedelta(hours=HOURS)
    start = start.replace(second=start.second - start.second % 15, microsecond=0)
    return SimulatedPeriod(start, HOURS)


def create_tick_partitions(engine: sa.Engine, period: SimulatedPeriod) -> None:
    """Every day the period touches: done before the dev stack starts, so no DDL races its daemon."""
    with engine.begin() as conn:
        ensure_partitions(conn, period.start.date(), period.end.date(), TICK_PARTITIONED_TABLES)


def store_simulated_period(engine: sa.Engine, period: SimulatedPeriod) -> int:
    """Store every snapshot of `period` as live ingestion would (global region); returns how many."""
    stored = 0
    for _, document in generate_snapshots(period.start, period.hours, PILOTS, SEED):
        body = orjson.dumps(document)
        tick = prepare_tick(parse_snapshot(body), body, source="browser-test:simulated-hour",
                            fetched_at=datetime.now(UTC), region=region("global"), store_names=True)
        write_tick(engine, tick)
        stored += 1
    return stored
