"""traffic_movements through Dagster: a day partition from stored tracks, idempotent re-runs."""

import dagster as dg
import pandas as pd
import sqlalchemy as sa

from vatstats_assets.core.movements import Connection
from vatstats_assets.storage import bulk
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.tables import FLIGHT_POSITIONS, FLIGHTS
from vatstats_tests.core.tracks import airline_flight, utc
from vatstats_tests.support.definitions import asset, run_resources


def store_connection(engine: sa.Engine, connection: Connection) -> None:
    """Write a constructed connection as ingestion would: its track and its `flights` row."""
    points = connection.points
    positions = pd.DataFrame([
        {"cid": connection.cid, "callsign": connection.callsign, "logon_time": connection.logon_time,
         "observed_at": p.observed_at, "latitude": p.latitude, "longitude": p.longitude,
         "altitude_ft": p.altitude_ft, "groundspeed_kt": p.groundspeed_kt, "heading_deg": 0}
        for p in points
    ], dtype=object)
    last = points[-1]
    flight = {c: None for c in FLIGHTS.columns} | {
        "cid": connection.cid, "callsign": connection.callsign, "logon_time": connection.logon_time,
        "latitude": last.latitude, "longitude": last.longitude, "altitude_ft": last.altitude_ft,
        "groundspeed_kt": last.groundspeed_kt, "heading_deg": 0, "aircraft_type": connection.aircraft_type,
        "departure": connection.filed_departure, "arrival": connection.filed_arrival,
        "last_updated": last.observed_at, "first_seen": points[0].observed_at, "last_seen": last.observed_at,
        "max_altitude_ft": max(p.altitude_ft for p in points),
    }
    with engine.begin() as conn:
        ensure_partitions(conn, points[0].observed_at.date(), last.observed_at.date())
        bulk.append(conn, FLIGHT_POSITIONS, positions)
        bulk.upsert(conn, FLIGHTS, pd.DataFrame([flight], dtype=object))


def materialize_day(database_url: str, day: str) -> dg.ExecuteInProcessResult:
    return dg.materialize([asset("traffic_movements")], partition_key=day, resources=run_resources(database_url))


def stored_movements(engine: sa.Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT airport, movement_type, at, callsign, matches_flight_plan FROM vatstats.traffic_movements ORDER BY at"
        ))]


def test_a_day_partition_holds_the_departure_and_arrival_of_a_stored_flight(engine, database_url) -> None:
    flight = airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00"))
    store_connection(engine, flight.connection(filed=("YSSY", "YMML")))
    result = materialize_day(database_url, "2026-11-20")
    assert result.success
    movements = stored_movements(engine)
    assert [(m[0], m[1], m[4]) for m in movements] == [("YSSY", "departure", True), ("YMML", "arrival", True)]
    metadata = result.get_asset_materialization_events()[0].event_specific_data.materialization.metadata
    assert metadata["departures"].value == 1 and metadata["arrivals"].value == 1


def test_rematerialising_a_partition_gives_identical_rows(engine, database_url) -> None:
    store_connection(engine, airline_flight("YSSY", "YMML", utc("2026-11-20 06:00:00")).connection(filed=("YSSY", "YMML")))
    materialize_day(database_url, "2026-11-20")
    first = stored_movements(engine)
    materialize_day(database_url, "2026-11-20")
    assert stored_movements(engine) == first


def test_a_flight_crossing_midnight_is_counted_once_on_each_day(engine, database_url) -> None:
    flight = airline_flight("YPPH", "YSSY", utc("2026-11-20 22:30:00"))
    store_connection(engine, flight.connection(filed=("YPPH", "YSSY")))
    materialize_day(database_url, "2026-11-20")
    materialize_day(database_url, "2026-11-21")
    movements = stored_movements(engine)
    assert [(m[0], m[1], m[2].date().isoformat()) for m in movements] == [
        ("YPPH", "departure", "2026-11-20"), ("YSSY", "arrival", "2026-11-21"),
    ]
