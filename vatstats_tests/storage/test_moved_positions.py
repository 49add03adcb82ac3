"""The parked-aircraft rule inside PostgreSQL (append_moved_positions.sql) agrees with core's moved_positions."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from vatstats_assets.core.snapshot_rows import FlightRow, PositionRow, moved_positions
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


def flight(cid: int, callsign: str, latitude: float, longitude: float, altitude: int, groundspeed: int) -> FlightRow:
    return FlightRow(cid, callsign, LOGON, None, None, None, None, latitude, longitude, altitude, groundspeed, 0,
                     None, None, *(None,) * 14, STORED_AT, LOGON, STORED_AT, altitude)


def position(cid: int, callsign: str, latitude: float, longitude: float, altitude: int, groundspeed: int) -> PositionRow:
    return PositionRow(cid, callsign, LOGON, NOW, latitude, longitude, altitude, groundspeed, 0)


def test_postgresql_and_python_keep_the_same_positions(engine: sa.Engine) -> None:
    stored = {cid: (callsign, before) for cid, (callsign, (before, _)) in enumerate(CASES.items()) if before}
    positions = [position(cid, callsign, *after) for cid, (callsign, (_, after)) in enumerate(CASES.items())]
    with engine.begin() as conn:
        ensure_partitions(conn, NOW.date(), NOW.date(), [FLIGHT_POSITIONS.name])
        bulk.upsert(conn, FLIGHTS, bulk.TableRows(FLIGHTS.columns, [flight(cid, c, *b) for cid, (c, b) in stored.items()]))
    with engine.begin() as conn:
        counts = bulk.append(conn, FLIGHT_POSITIONS, bulk.TableRows(FLIGHT_POSITIONS.columns, positions))
        kept_by_postgresql = set(conn.execute(sa.text("SELECT callsign FROM vatstats.flight_positions")).scalars())

    last_stored = {(cid, callsign, LOGON): before for cid, (callsign, before) in stored.items()}
    kept_by_python = {row.callsign for row in moved_positions(positions, last_stored)}
    assert kept_by_postgresql == kept_by_python == {"HOVER", "TAXI", "ROLLS", "NUDGED", "NEW"}
    assert (counts.inserted, counts.unchanged) == (5, 3)


def test_positions_written_after_their_own_ticks_flights_are_all_kept(engine: sa.Engine) -> None:
    """Out of order (flights of this tick already stored), nothing is judged parked, so nothing is lost."""
    parked = flight(1, "PARKED", -33.9, 151.2, 21, 0)._replace(last_seen=NOW)
    with engine.begin() as conn:
        ensure_partitions(conn, NOW.date(), NOW.date(), [FLIGHT_POSITIONS.name])
        bulk.upsert(conn, FLIGHTS, bulk.TableRows(FLIGHTS.columns, [parked]))
        counts = bulk.append(conn, FLIGHT_POSITIONS, bulk.TableRows(
            FLIGHT_POSITIONS.columns, [position(1, "PARKED", -33.9, 151.2, 21, 0)]))
    assert counts.inserted == 1
