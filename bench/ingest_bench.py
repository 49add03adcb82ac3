"""How long does one snapshot take to ingest: vatstats' path, the old service's ORM pattern, a bare COPY.

For each size (1,000 / 4,000 / 10,000 simulated pilots, global region) consecutive snapshots are
ingested into a database already holding the previous tick, so flights and ATC rows are updated,
not just inserted. vatstats and the old ORM take turns over the snapshots (see `turns`). Three
ways, same rows, same run:
  - vatstats: parse_and_compress (parsing, with zstd of the raw body on a second thread) +
    prepare_tick (rows in column order) +
    write_tick (COPY into temp tables, one merge per table, the moved-position filter inside
    PostgreSQL, one transaction);
  - old ORM, record by record (the baseline of the 30x target): the old data service's pattern, a
    SQLAlchemy ORM session that takes each pilot in turn (SELECT its flight by key, then update its
    attributes or add a new object, add its position) and then each controller, and commits at the
    end. Each SELECT flushes the previous record's UPDATE or INSERT and its position first
    (autoflush), so every record costs its own statements. Same parse, same raw row: only the
    writing differs;
  - old ORM, positions batched: the same, but every position added after all the flights, so
    SQLAlchemy flushes the positions at commit in multi-row INSERTs: a kinder variant, kept so
    that figures from before the record-by-record baseline can be compared;
  - bare COPY: the tick's rows (the raw snapshot, ATC, flights and every position) COPYed straight
    into the emptied tables, the floor for loading them. vatstats sends no positions (PostgreSQL
    takes them from the flights rows), so its write can come close to it.
Figures are medians over the timed ticks. Ratios: old ORM / vatstats (end to end) and vatstats'
write / bare COPY (the cost of merging over plain loading).

Then, side by side in the same database, the tick with its transceivers feed (bench/
transceivers_payload.py: one or two radios per pilot, one to four sites per controller) against
the tick without: the two take turns over consecutive snapshots, so every tick with transceivers
extends the runs of the one before the tick without (the RUN_GAP_S rule), as in steady operation
(after WARM_UP_TICKS untimed ticks with transceivers).
Ratio: with / without (target <= 1.3x at 4,000 pilots). Parsing the transceivers, keying them to
the connections, compressing their body and writing the runs are all inside the timed tick; the
download is not (it runs beside the data feed's).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.ext.declarative import DeferredReflection

from bench.figures import figure, median, ratio
from bench.simulated import DEFAULT_START, snapshot_bodies
from bench.transceivers_payload import transceivers_for
from bench.warehouse import ThrowawayDatabase, throwaway_database
from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.region import region
from vatstats_assets.core.snapshot_rows import position_of, tick_rows
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.storage import bulk
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.ingest import (
    INGEST_WRITES,
    TICK_PARTITIONED_TABLES,
    PreparedTick,
    ensure_tick_partitions,
    parse_and_compress,
    prepare_tick,
    write_tick,
)
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.raw_body import ENCODING, compress_raw
from vatstats_assets.storage.server import PostgresServer

NAME = "ingest"
GLOBAL = region("global")
FETCHED_AT = datetime(2026, 11, 20, tzinfo=UTC)
# Later the same day than the other ticks, so the two comparisons never share a snapshot.
TRANSCEIVERS_START = DEFAULT_START + timedelta(hours=2)
# Ticks with transceivers before the timed ones: a live deployment extends runs on pages that hold
# the previous ticks' versions, pruned to make room for the next (heap-only updates). The first
# ticks into a new table run before any page has been pruned: a start-up cost, not the steady one.
WARM_UP_TICKS = 4


@dataclass(frozen=True)
class Plan:
    pilots: int
    timed_ticks: int
    orm_ticks: int  # ticks of each ORM variant; 0: the baselines are not run at this size
    transceiver_ticks: int = 0  # ticks with and without transceivers each, side by side; 0: not run


def plans(quick: bool, sizes: tuple[int, ...] | None = None) -> list[Plan]:
    if sizes is not None:  # the smoke test's tiny sizes: everything once
        return [Plan(pilots, 1, 1, 1) for pilots in sizes]
    if quick:
        return [Plan(1_000, 3, 2), Plan(4_000, 3, 0, 5)]
    # At 4,000 pilots (the target's size) more ticks each way: the medians move less with the
    # machine's phases.
    return [Plan(1_000, 5, 3), Plan(4_000, 11, 5, 7), Plan(10_000, 5, 2)]


# ----- the old service's ORM model (baseline only) -------------------------------------------------
class OldServiceBase(orm.DeclarativeBase):
    metadata = sa.MetaData(schema="vatstats")


class OldServiceModel(DeferredReflection):
    """Declarative classes over the same vatstats tables, columns reflected from the database."""

    __abstract__ = True


class OldSnapshot(OldServiceModel, OldServiceBase):
    __tablename__ = "feed_snapshots"


class OldFlight(OldServiceModel, OldServiceBase):
    __tablename__ = "flights"


class OldController(OldServiceModel, OldServiceBase):
    __tablename__ = "atc_positions"


class OldPosition(OldServiceModel, OldServiceBase):
    __tablename__ = "flight_positions"


_KEPT_ON_UPDATE = {"first_seen"}  # the old service never moved first_seen


def _merge_record(session: orm.Session, model: type, key: tuple[str, ...], row: dict[str, Any]) -> None:
    """One record the old way: SELECT it by key, then update it in place or add a new object."""
    existing = session.execute(
        sa.select(model).filter_by(**{column: row[column] for column in key})
    ).scalar_one_or_none()
    if existing is None:
        session.add(model(**row))
        return
    for column, value in row.items():
        if column in key or column in _KEPT_ON_UPDATE:
            continue
        if column == "max_altitude_ft":
            value = max(existing.max_altitude_ft, value)
        setattr(existing, column, value)


def ingest_old_orm(engine: sa.Engine, body: bytes, *, positions_batched: bool = False) -> None:
    """The old data service's tick: per-record select-then-update-or-insert, one commit at the end.

    Record by record, each pilot's flight and position go in together, and the next SELECT
    flushes them; with `positions_batched` the positions are added after all the flights and
    flushed together at commit.
    """
    snapshot = parse_snapshot(body)
    rows = tick_rows(snapshot, GLOBAL, store_names=True)
    compressed = compress_raw(body, store_names=True)
    with orm.Session(engine) as session:
        session.add(OldSnapshot(
            update_timestamp=snapshot.update_timestamp, fetched_at=FETCHED_AT, source="bench-orm",
            body=compressed, body_encoding=ENCODING, raw_bytes=len(body), compressed_bytes=len(compressed),
            pilots=len(snapshot.pilots), controllers=len(snapshot.controllers), atis=len(snapshot.atis),
            prefiles=len(snapshot.prefiles), pilots_stored=len(rows.flights),
            controllers_stored=len(snapshot.controllers), skipped_records=0,
            duplicates_dropped=snapshot.duplicates_dropped, region=GLOBAL.name,
        ))
        # The old service stored every position, moved or not.
        for flight, position in zip(rows.flights, rows.positions, strict=True):
            _merge_record(session, OldFlight, ("cid", "callsign", "logon_time"), flight._asdict())
            if not positions_batched:
                session.add(OldPosition(**position._asdict()))
        for row in rows.atc_positions:
            _merge_record(session, OldController, ("callsign", "cid", "logon_time"), row._asdict())
        if positions_batched:
            session.add_all([OldPosition(**position._asdict()) for position in rows.positions])
        session.commit()


# ----- vatstats' path and the COPY floor ------------------------------------------------------------
@dataclass(frozen=True)
class TickTiming:
    parse_ms: float
    prepare_ms: float
    write_ms: float
    tick: PreparedTick
    counts: dict[str, bulk.WriteCounts]

    @property
    def total_ms(self) -> float:
        return self.parse_ms + self.prepare_ms + self.write_ms


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def ingest_vatstats(engine: sa.Engine, body: bytes, transceivers: bytes | None = None) -> TickTiming:
    """One tick as the ingest asset runs it, the cycle collector paused across it likewise; with
    `transceivers`, the feed fetched beside the snapshot (without, the tick records it missing)."""
    feed = TransceiversFeed.received(transceivers) if transceivers is not None else None
    started = time.perf_counter()
    with collector_paused():
        snapshot, compressed = parse_and_compress(body, store_names=True)
        parsed = time.perf_counter()
        ensure_tick_partitions(engine, snapshot.update_timestamp.date())
        tick = prepare_tick(snapshot, body, source="bench", fetched_at=FETCHED_AT, region=GLOBAL,
                            store_names=True, compressed=compressed, transceivers=feed)
        prepared = time.perf_counter()
        counts = write_tick(engine, tick)
    return TickTiming((parsed - started) * 1000, (prepared - parsed) * 1000, _ms_since(prepared), tick, counts)


def copy_floor_ms(engine: sa.Engine, tick: PreparedTick) -> float:
    """COPY the tick's rows straight into the (emptied) tables in one transaction.

    vatstats sends no track positions (PostgreSQL takes them from the flights rows); the floor
    COPYs every one of them, built before the clock starts.
    """
    flights = tick.tables["flights"].rows
    # The floor is today's tick: the four tables without transceivers.
    rows = {name: [position_of(f) for f in flights] if name == "flight_positions" else tick.tables[name].rows
            for name in INGEST_WRITES if name != "transceiver_tunings"}
    started = time.perf_counter()
    with engine.begin() as conn:
        for name, (_, spec) in INGEST_WRITES.items():
            if name in rows:
                bulk.copy_rows(conn, spec.qualified, spec.columns, rows[name], spec.copy_types)
    return _ms_since(started)


BASELINES = {  # name in the schedule -> (figure label, how it ingests)
    "orm": ("old ORM record by record", ingest_old_orm),
    "orm_batched": ("old ORM, positions batched", partial(ingest_old_orm, positions_batched=True)),
}


def turns(vatstats_ticks: int, baseline_ticks: int, baselines: tuple[str, ...] = tuple(BASELINES)) -> list[str]:
    """Which way ingests each consecutive snapshot: each baseline's ticks spread among vatstats' ones.

    Taking turns, a machine that slows down or speeds up during the run (this one is shared)
    weighs on every way alike, so the ratios stay honest even when absolute times drift.
    """
    order = ["vatstats"]
    vatstats_left, baseline_left = vatstats_ticks - 1, baseline_ticks
    while vatstats_left or baseline_left:
        if baseline_left:
            order += baselines
            baseline_left -= 1
        if vatstats_left:
            order.append("vatstats")
            vatstats_left -= 1
    return order


def _measure_size(database: ThrowawayDatabase, plan: Plan, log) -> list[dict]:
    engine = database.engine
    schedule = turns(plan.timed_ticks, plan.orm_ticks)
    bodies = [body for _, body in snapshot_bodies(plan.pilots, len(schedule) + 1)]
    pilots_online = len(parse_snapshot(bodies[0]).pilots)
    label = f"{plan.pilots:,} pilots"

    database.truncate()
    ingest_vatstats(engine, bodies[0])  # the previous tick: every timed one updates the rows before it
    timings: list[TickTiming] = []
    baseline_ms: dict[str, list[float]] = {name: [] for name in BASELINES}
    for way, body in zip(schedule, bodies[1:], strict=True):
        if way == "vatstats":
            timings.append(ingest_vatstats(engine, body))
        else:
            started = time.perf_counter()
            BASELINES[way][1](engine, body)
            baseline_ms[way].append(_ms_since(started))
    log(f"{label}: vatstats {median([t.total_ms for t in timings]):.0f} ms" + "".join(
        f", {BASELINES[name][0]} {median(ms):.0f} ms" for name, ms in baseline_ms.items() if ms))

    copy_ms = []
    for timing in timings:
        database.truncate()
        copy_ms.append(copy_floor_ms(engine, timing.tick))

    with engine.connect() as conn:  # what one statement costs here: the ORM pays it per record
        round_trips = []
        for _ in range(50):
            started = time.perf_counter()
            conn.exec_driver_sql("SELECT 1").scalar()
            round_trips.append(_ms_since(started))

    new_total = median([t.total_ms for t in timings])
    new_write = median([t.write_ms for t in timings])
    floor = median(copy_ms)
    last = timings[-1].counts
    rows_written = sum(counts.written for counts in last.values())
    results = [
        figure(NAME, f"{label}: vatstats (parse+prepare+write)", new_total, "ms",
               pilots_online=pilots_online, ticks=len(timings),
               parse_ms=round(median([t.parse_ms for t in timings]), 1),
               prepare_ms=round(median([t.prepare_ms for t in timings]), 1),
               write_ms=round(new_write, 1), rows_written=rows_written,
               positions_not_repeated=last["flight_positions"].unchanged,
               tick_ms=[round(t.total_ms, 1) for t in timings]),
    ]
    for name, ms in baseline_ms.items():
        if not ms:
            continue
        old = median(ms)
        target = {"target": ">= 30x at 4,000 pilots"} if name == "orm" else {}
        results.append(figure(NAME, f"{label}: {BASELINES[name][0]}", old, "ms",
                              ratio=ratio(old, new_total), ratio_label="old ORM / vatstats",
                              ticks=len(ms), round_trip_ms=round(median(round_trips), 3),
                              tick_ms=[round(t, 1) for t in ms], **target))
    results.append(figure(NAME, f"{label}: bare COPY (floor)", floor, "ms",
                          ratio=ratio(new_write, floor), ratio_label="vatstats write / COPY",
                          ticks=len(copy_ms), vatstats_write_ms=round(new_write, 1),
                          end_to_end_over_copy=round(new_total / floor, 2) if floor else None,
                          target="<= 2x"))
    return results


def _measure_transceivers(database: ThrowawayDatabase, plan: Plan, log) -> list[dict]:
    """The tick with its transceivers against the tick without, taking turns in one database."""
    ticks = plan.transceiver_ticks
    documents = [(body, transceivers_for(orjson.loads(body)))
                 for _, body in snapshot_bodies(plan.pilots, 2 * ticks + WARM_UP_TICKS, start=TRANSCEIVERS_START)]
    label = f"{plan.pilots:,} pilots"
    database.truncate()
    for warm_up in documents[:WARM_UP_TICKS]:
        ingest_vatstats(database.engine, *warm_up)
    without: list[TickTiming] = []
    with_transceivers: list[TickTiming] = []
    for index, (body, transceivers) in enumerate(documents[WARM_UP_TICKS:]):
        if index % 2:
            with_transceivers.append(ingest_vatstats(database.engine, body, transceivers))
        else:
            without.append(ingest_vatstats(database.engine, body))
    plain, tuned = median([t.total_ms for t in without]), median([t.total_ms for t in with_transceivers])
    last = with_transceivers[-1]
    runs = last.counts["transceiver_tunings"]
    with database.engine.connect() as conn:
        stored_runs = conn.exec_driver_sql("SELECT count(*) FROM vatstats.transceiver_tunings").scalar()
    log(f"{label}: tick without transceivers {plain:.0f} ms, with {tuned:.0f} ms ({tuned / plain:.2f}x)")
    return [
        figure(NAME, f"{label}: tick without transceivers", plain, "ms", ticks=len(without),
               tick_ms=[round(t.total_ms, 1) for t in without]),
        figure(NAME, f"{label}: tick with transceivers", tuned, "ms",
               ratio=ratio(tuned, plain), ratio_label="with / without transceivers", target="<= 1.3x at 4,000 pilots",
               ticks=len(with_transceivers), transceivers_bytes=len(documents[-1][1]),
               tunings=len(last.tick.tables["transceiver_tunings"]), runs_extended=runs.updated,
               runs_started=runs.inserted, runs_stored=stored_runs,
               parse_ms=round(median([t.parse_ms for t in with_transceivers]), 1),
               prepare_ms=round(median([t.prepare_ms for t in with_transceivers]), 1),
               write_ms=round(median([t.write_ms for t in with_transceivers]), 1),
               write_ms_without=round(median([t.write_ms for t in without]), 1),
               prepare_ms_without=round(median([t.prepare_ms for t in without]), 1),
               tick_ms=[round(t.total_ms, 1) for t in with_transceivers]),
    ]


def run(quick: bool, *, server: PostgresServer, sizes: tuple[int, ...] | None = None, log=None) -> list[dict]:
    """Median ingest times per size, three ways; `sizes` overrides the pilot counts (smoke test)."""
    log = log or (lambda message: print(f"  [{NAME}] {message}", file=sys.stderr, flush=True))
    results = []
    with throwaway_database(server, NAME) as database:
        with database.engine.begin() as conn:  # ahead of time, as the maintenance asset does
            ensure_partitions(conn, DEFAULT_START.date(), DEFAULT_START.date(), TICK_PARTITIONED_TABLES)
        OldServiceModel.prepare(database.engine)
        for plan in plans(quick, sizes):
            results += _measure_size(database, plan, log)
            if plan.transceiver_ticks:
                results += _measure_transceivers(database, plan, log)
    return results


if __name__ == "__main__":
    from bench.suite import main

    raise SystemExit(main(["--only", NAME, *sys.argv[1:]]))
