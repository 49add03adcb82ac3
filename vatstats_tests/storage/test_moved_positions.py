"""The parked-aircraft rule inside PostgreSQL (flights.moved_at + append_moved_positions.sql) agrees
with core's moved_positions, and track positions are taken from the flights rows of the same tick."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from vatstats_assets.core.snapshot_rows import FlightRow, moved_positions, position_of
from vatstats_assets.storage import bulk
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.tables import FLIGHT_POSITIONS, FLIGHTS

STORED_AT = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
NOW = STORED_AT + timedelta(seconds=15)
LOGON = STORED_AT - timedelta(hours=1)

# callsign -> (stored latitude, longitude, altitude, groundspeed), (new ones); None: no stored flight
CASES = {
    "PARKED": ((-33.9, 151.2, 21, 0), (-33.9, 151.2, 21, 0)),
    "JITTER": ((-33.9, 151.2, 21, 0), (-33.9, 151.2, 60, 0)),
    "HOVER": ((-33.9, 151.2, 21, 0), (-33.9, 151.2, 421, 0)),
    "TAXI": ((-33.9, 151.2, 21, 0), (-33.9001, 151.2, 21, 12)),
    "ROLLS": ((-33.9, 151.2, 21, 0), (-33.9, 151.2, 21, 5)),
    "NUDGED": ((-33.9, 151.2, 21, 0), (-33.9, 151.2001, 21, 0)),
    "CRUISE": ((-30.0, 150.0, 35000, 450), (-30.0, 150.0, 35000, 450)),
    "NEW": (None, (-33.9, 151.2, 21, 0)),
}


def flight(cid: int, callsign: str, latitude: float, longitude: float, altitude: int, groundspeed: int,
           seen: datetime = STORED_AT) -> FlightRow:
    return FlightRow(cid, callsign, LOGON, None, None, None, None, latitude, longitude, altitude, groundspeed, 0,
                     None, None, *(None,) * 14, seen, LOGON, seen, altitude, seen)


def write_flights_and_track(conn: sa.Connection, flights: list[FlightRow]) -> bulk.WriteCounts:
    """A tick's flights upsert, then its positions taken from the flights' stage (as ingestion does)."""
    bulk.upsert(conn, FLIGHTS, bulk.TableRows(FLIGHTS.columns, flights))
    return bulk.append(conn, FLIGHT_POSITIONS, bulk.StagedRows(FLIGHTS.name, len(flights)))


def stored_positions(conn: sa.Connection) -> list[tuple[str, datetime]]:
    return conn.execute(sa.text(
        "SELECT callsign, observed_at FROM vatstats.flight_positions ORDER BY callsign, observed_at")).all()


def test_postgresql_and_python_keep_the_same_positions(engine: sa.Engine) -> None:
    stored = {cid: (callsign, before) for cid, (callsign, (before, _)) in enumerate(CASES.items()) if before}
    now = [flight(cid, callsign, *after, seen=NOW) for cid, (callsign, (_, after)) in enumerate(CASES.items())]
    with engine.begin() as conn:
        ensure_partitions(conn, NOW.date(), NOW.date(), [FLIGHT_POSITIONS.name])
        bulk.upsert(conn, FLIGHTS, bulk.TableRows(FLIGHTS.columns, [flight(cid, c, *b) for cid, (c, b) in stored.items()]))
    with engine.begin() as conn:
        counts = write_flights_and_track(conn, now)
        kept_by_postgresql = {callsign for callsign, _ in stored_positions(conn)}

    last_stored = {(cid, callsign, LOGON): before for cid, (callsign, before) in stored.items()}
    kept_by_python = {row.callsign for row in moved_positions([position_of(f) for f in now], last_stored)}
    assert kept_by_postgresql == kept_by_python == {"HOVER", "TAXI", "ROLLS", "NUDGED", "NEW"}
    assert (counts.inserted, counts.unchanged) == (5, 3)


def test_a_parked_aircraft_is_stored_once_until_it_moves_and_moved_at_says_when(engine: sa.Engine) -> None:
    ticks = [STORED_AT + timedelta(seconds=15 * i) for i in range(4)]
    where = [(-33.9, 151.2, 21, 0), (-33.9, 151.2, 21, 0), (-33.9, 151.2, 40, 0), (-33.9001, 151.2, 21, 8)]
    with engine.begin() as conn:
        ensure_partitions(conn, STORED_AT.date(), STORED_AT.date(), [FLIGHT_POSITIONS.name])
    for at, position in zip(ticks, where, strict=True):
        with engine.begin() as conn:
            write_flights_and_track(conn, [flight(1, "PARKED", *position, seen=at)])
    with engine.connect() as conn:
        assert stored_positions(conn) == [("PARKED", ticks[0]), ("PARKED", ticks[3])]
        assert conn.execute(sa.text("SELECT moved_at FROM vatstats.flights")).scalar_one() == ticks[3]


def test_positions_of_a_snapshot_older_than_the_stored_flight_are_all_kept(engine: sa.Engine) -> None:
    """A late replay of an older snapshot is not judged against a newer position: nothing is lost."""
    with engine.begin() as conn:
        ensure_partitions(conn, NOW.date(), NOW.date(), [FLIGHT_POSITIONS.name])
        write_flights_and_track(conn, [flight(1, "PARKED", -33.9, 151.2, 21, 0, seen=NOW)])
    with engine.begin() as conn:
        counts = write_flights_and_track(conn, [flight(1, "PARKED", -33.9, 151.2, 21, 0, seen=STORED_AT)])
        assert stored_positions(conn) == [("PARKED", STORED_AT), ("PARKED", NOW)]
    assert counts.inserted == 1


def test_the_same_tick_written_twice_stores_its_positions_once(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        ensure_partitions(conn, NOW.date(), NOW.date(), [FLIGHT_POSITIONS.name])
        write_flights_and_track(conn, [flight(1, "TAXI", -33.9, 151.2, 21, 12, seen=NOW)])
    with engine.begin() as conn:
        counts = write_flights_and_track(conn, [flight(1, "TAXI", -33.9, 151.2, 21, 12, seen=NOW)])
        assert stored_positions(conn) == [("TAXI", NOW)]
    assert (counts.inserted, counts.unchanged) == (0, 1)


def test_postgresql_and_the_simulated_tracks_agree_over_many_ticks_of_altitude_drift(engine: sa.Engine) -> None:
    """A parked aircraft whose reported altitude creeps up within the jitter band tick after tick:
    both sides compare with the position of the tick before, so both store the same points."""
    ticks = [STORED_AT + timedelta(seconds=15 * i) for i in range(6)]
    altitudes = [21, 61, 101, 141, 181, 181]
    with engine.begin() as conn:
        ensure_partitions(conn, STORED_AT.date(), STORED_AT.date(), [FLIGHT_POSITIONS.name])
    for at, altitude in zip(ticks, altitudes, strict=True):
        with engine.begin() as conn:
            write_flights_and_track(conn, [flight(1, "DRIFT", -33.9, 151.2, altitude, 0, seen=at)])
    with engine.connect() as conn:
        kept_by_postgresql = [at for _, at in stored_positions(conn)]

    kept_by_python, previous = [], {}
    for at, altitude in zip(ticks, altitudes, strict=True):
        position = position_of(flight(1, "DRIFT", -33.9, 151.2, altitude, 0, seen=at))
        kept_by_python += [row.observed_at for row in moved_positions([position], previous)]
        previous[(1, "DRIFT", LOGON)] = (position.latitude, position.longitude, position.altitude_ft, 0)
    assert kept_by_postgresql == kept_by_python == [ticks[0]]


def test_staged_rows_need_an_append_query_that_reads_their_stage(engine: sa.Engine) -> None:
    with engine.begin() as conn, pytest.raises(ValueError, match="no append query that takes rows from stage_atc"):
        bulk.append(conn, FLIGHT_POSITIONS, bulk.StagedRows("atc", 3))
