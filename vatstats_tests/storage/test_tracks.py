"""The columnar track path gives exactly the rows of the per-point path it replaced (bench/baseline).

Movements and completed flights are computed both ways, in memory and through the warehouse, on a
simulated sample (every phase of flight, reconnects, airports worldwide) and on the detection
benchmark's day cut from the test tracks (touch-and-goes, circuits, jittery parked aircraft); every
field of every row must be equal.
"""

from __future__ import annotations

import random
from dataclasses import astuple, replace
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from bench import detect_bench
from bench.baseline import flights as baseline_flights
from bench.baseline import movements as baseline_movements
from bench.baseline import tracks as baseline_tracks
from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.flights import completed_flights
from vatstats_assets.core.movement_rules import DEFAULT_RULES
from vatstats_assets.core.movements import Connection, detect_movements
from vatstats_assets.core.region import region
from vatstats_assets.core.sim_tracks import connections_from_snapshots
from vatstats_assets.core.track_columns import TrackColumns
from vatstats_assets.sim import generate_snapshots
from vatstats_assets.storage import bulk, copy_numpy
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.tables import FLIGHT_POSITIONS, FLIGHTS
from vatstats_assets.storage.tracks import load_tracks, load_whole_flights

SIM_START = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)  # crosses midnight: two day partitions
AIRPORTS = AirportIndex.from_airportsdata()


@pytest.fixture(scope="module")
def simulated() -> list[Connection]:
    snapshots = (document for _, document in generate_snapshots(SIM_START, 3.0, 200, 11))
    return connections_from_snapshots(snapshots, region("global"))


def as_baseline(connections: list[Connection]) -> list[baseline_movements.Connection]:
    return [
        baseline_movements.Connection(
            c.cid, c.callsign, c.logon_time, c.aircraft_type, c.filed_departure, c.filed_arrival,
            tuple(baseline_movements.TrackPoint(p.observed_at, p.latitude, p.longitude, p.altitude_ft,
                                                p.groundspeed_kt) for p in c.points),
        )
        for c in connections
    ]


def rows(found: list) -> list[tuple]:
    return [astuple(row) for row in found]


def both_ways(new: list[Connection], old: list[baseline_movements.Connection], start: datetime, end: datetime,
              flight_rules: dict | None = None) -> tuple[tuple[list, list], tuple[list, list]]:
    window = {"window_start": start, "window_end": end}
    movements = (rows(detect_movements(new, AIRPORTS, **window)),
                 rows(baseline_movements.detect_movements(old, AIRPORTS, **window)))
    flights = (rows(completed_flights(new, AIRPORTS, flight_rules=flight_rules, **window)),
               rows(baseline_flights.completed_flights(old, AIRPORTS, flight_rules=flight_rules, **window)))
    return movements, flights


def test_simulated_movements_and_flights_are_identical_to_the_per_point_path(simulated: list[Connection]) -> None:
    start, end = SIM_START + timedelta(minutes=20), SIM_START + timedelta(hours=2, minutes=40)
    (movements, old_movements), (flights, old_flights) = both_ways(simulated, as_baseline(simulated), start, end)
    assert len(movements) > 100 and len(flights) > 20  # a sample worth comparing
    assert movements == old_movements
    assert flights == old_flights


def test_columnar_connections_give_the_rows_of_point_by_point_ones(simulated: list[Connection]) -> None:
    columnar = [Connection(c.cid, c.callsign, c.logon_time, c.aircraft_type, c.filed_departure, c.filed_arrival,
                           TrackColumns.of(c.points)) for c in simulated]
    start, end = SIM_START, SIM_START + timedelta(hours=3)
    (movements, old_movements), (flights, old_flights) = both_ways(columnar, as_baseline(simulated), start, end)
    assert movements == old_movements
    assert flights == old_flights


def test_the_detection_benchmark_day_is_identical_to_the_per_point_path() -> None:
    day = detect_bench.build_day(400, random.Random(20261120))
    start = detect_bench.DAY_START
    (movements, old_movements), (flights, old_flights) = both_ways(day, as_baseline(day), start,
                                                                   start + timedelta(days=1))
    assert len(movements) > 50
    assert movements == old_movements
    assert flights == old_flights


def store(engine: sa.Engine, connections: list[Connection]) -> None:
    """Write the connections as ingestion would: tracks in flight_positions, one `flights` row each."""
    positions, plans = [], []
    for c in connections:
        if not c.points:
            continue
        key = {"cid": c.cid, "callsign": c.callsign, "logon_time": c.logon_time}
        positions += [key | {"observed_at": p.observed_at, "latitude": p.latitude, "longitude": p.longitude,
                             "altitude_ft": p.altitude_ft, "groundspeed_kt": p.groundspeed_kt, "heading_deg": 0}
                      for p in c.points]
        first, last = c.points[0], c.points[-1]
        plans.append({column: None for column in FLIGHTS.columns} | key | {
            "latitude": last.latitude, "longitude": last.longitude, "altitude_ft": last.altitude_ft,
            "groundspeed_kt": last.groundspeed_kt, "heading_deg": 0, "aircraft_type": c.aircraft_type,
            "departure": c.filed_departure, "arrival": c.filed_arrival, "flight_rules": "I" if c.cid % 2 else "V",
            "last_updated": last.observed_at, "first_seen": first.observed_at, "last_seen": last.observed_at,
            "max_altitude_ft": max(p.altitude_ft for p in c.points),
        })
    with engine.begin() as conn:
        ensure_partitions(conn, SIM_START.date(), (SIM_START + timedelta(days=1)).date())
        bulk.append(conn, FLIGHT_POSITIONS, pd.DataFrame(positions, dtype=object))
        bulk.upsert(conn, FLIGHTS, pd.DataFrame(plans, dtype=object))


def test_warehouse_tracks_give_rows_identical_to_the_per_point_loader(
    engine: sa.Engine, simulated: list[Connection]
) -> None:
    store(engine, simulated)
    day = datetime(2026, 11, 20, tzinfo=UTC)
    for day_start in (day, day + timedelta(days=1)):
        day_end = day_start + timedelta(days=1)
        for before in (DEFAULT_RULES.context_before, DEFAULT_RULES.whole_flight_before):
            with engine.connect() as conn:
                new = load_tracks(conn, day_start, day_end, before=before)
            with engine.connect() as conn:
                old = baseline_tracks.load_tracks(conn, day_start, day_end, before=before)
            assert new.points == old.points > 0
            assert new.flight_rules == old.flight_rules
            assert [(c.cid, c.callsign, c.logon_time, c.aircraft_type, c.filed_departure, c.filed_arrival,
                     [astuple(p) for p in c.points]) for c in new.connections] == [
                (c.cid, c.callsign, c.logon_time, c.aircraft_type, c.filed_departure, c.filed_arrival,
                 [astuple(p) for p in c.points]) for c in old.connections]
            (movements, old_movements), (flights, old_flights) = both_ways(
                new.connections, old.connections, day_start, day_end, new.flight_rules)  # type: ignore[arg-type]
            assert movements == old_movements
            assert flights == old_flights


@pytest.mark.parametrize("context_before", [DEFAULT_RULES.context_before, timedelta(minutes=30)])
def test_whole_flights_read_only_the_earlier_positions_of_pilots_still_seen_and_complete_the_same_flights(
    engine: sa.Engine, simulated: list[Connection], context_before: timedelta
) -> None:
    # With 30 minutes of context the window's pilots are a few of those of the three hours stored:
    # the earlier positions of the others are left out, and no flight landing in the window changes.
    store(engine, simulated)
    rules = replace(DEFAULT_RULES, context_before=context_before)
    day_start = datetime(2026, 11, 21, tzinfo=UTC)
    day_end = day_start + timedelta(days=1)
    with engine.connect() as conn:
        whole = load_tracks(conn, day_start, day_end, before=rules.whole_flight_before, after=rules.context_after)
        read = load_whole_flights(conn, day_start, day_end, rules)
    flights = completed_flights(read.connections, AIRPORTS, window_start=day_start, window_end=day_end,
                                rules=rules, flight_rules=read.flight_rules)
    assert len(flights) > 10
    assert flights == completed_flights(whole.connections, AIRPORTS, window_start=day_start, window_end=day_end,
                                         rules=rules, flight_rules=whole.flight_rules)
    if context_before < timedelta(hours=2):
        assert read.points < whole.points * 0.9
    else:
        assert read.points == whole.points


def test_the_slices_need_no_connection_of_the_callers_pool_and_any_number_gives_the_same_track(
    engine: sa.Engine, database_url: str, simulated: list[Connection], monkeypatch: pytest.MonkeyPatch
) -> None:
    store(engine, simulated)
    day = datetime(2026, 11, 20, tzinfo=UTC)
    with engine.connect() as conn:
        expected = load_tracks(conn, day, day + timedelta(days=1))
    full_pool = sa.create_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=2)
    for slices in (1, 3):
        monkeypatch.setattr(copy_numpy, "COPY_SLICES", slices)
        with full_pool.connect() as conn:  # the pool's only connection: a slice asking it would time out
            window = load_tracks(conn, day, day + timedelta(days=1))
        assert window.points == expected.points > 0
        assert [[astuple(p) for p in c.points] for c in window.connections] == [
            [astuple(p) for p in c.points] for c in expected.connections]
    full_pool.dispose()


def test_positions_without_a_flights_row_are_loaded_under_their_own_callsign(engine: sa.Engine) -> None:
    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    positions = [{"cid": 1234, "callsign": callsign, "logon_time": at, "observed_at": at + timedelta(seconds=15 * i),
                  "latitude": -33.9 + i / 100, "longitude": 151.2, "altitude_ft": 1000 * i, "groundspeed_kt": 200,
                  "heading_deg": 0}
                 for callsign in ("QFA1", "QFA2") for i in range(3)]  # one cid and logon time, two callsigns
    with engine.begin() as conn:
        ensure_partitions(conn, at.date(), at.date())
        bulk.append(conn, FLIGHT_POSITIONS, pd.DataFrame(positions, dtype=object))
    with engine.connect() as conn:
        window = load_tracks(conn, at, at + timedelta(hours=1))
    assert window.points == 6
    assert [(c.callsign, c.aircraft_type, [p.altitude_ft for p in c.points]) for c in window.connections] == [
        ("QFA1", None, [0, 1000, 2000]), ("QFA2", None, [0, 1000, 2000])]


def test_a_window_without_positions_loads_no_connections(engine: sa.Engine) -> None:
    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    with engine.begin() as conn:
        ensure_partitions(conn, at.date(), at.date())
    with engine.connect() as conn:
        window = load_tracks(conn, at, at + timedelta(hours=1))
    assert (window.points, window.connections) == (0, [])
