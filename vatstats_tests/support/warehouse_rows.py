"""Constructed warehouse rows for summary, status and check tests, written with the project's bulk writer.

Each helper fills only what a test cares about and gives every other NOT NULL column a plain value.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import dagster as dg
import pandas as pd
import sqlalchemy as sa

from vatstats_assets.storage import bulk
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.tables import (
    ATC_POSITIONS,
    FEED_SNAPSHOTS,
    FLIGHTS,
    MOVEMENT_SUMMARIES,
    TABLES,
    TRAFFIC_MOVEMENTS,
    TableSpec,
)
from vatstats_tests.support.definitions import run_resources


def utc(text: str) -> datetime:
    """'2026-11-20 06:00' -> an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def flight(cid: int, first_seen: datetime, last_seen: datetime, callsign: str | None = None) -> dict[str, Any]:
    return {
        "cid": cid, "callsign": callsign or f"QFA{cid % 1000}", "logon_time": first_seen,
        "latitude": -33.9, "longitude": 151.2, "altitude_ft": 21, "groundspeed_kt": 0, "heading_deg": 0,
        "last_updated": last_seen, "first_seen": first_seen, "last_seen": last_seen, "max_altitude_ft": 21,
    }


def controller(
    callsign: str, cid: int, logon_time: datetime, last_seen: datetime, *, is_atis: bool = False,
    facility: int = 5, rating: int = 5,
) -> dict[str, Any]:
    return {
        "callsign": callsign, "cid": cid, "logon_time": logon_time, "facility": facility, "rating": rating,
        "is_atis": is_atis, "last_updated": last_seen, "first_seen": logon_time, "last_seen": last_seen,
    }


def movement(airport: str, movement_type: str, at: datetime, cid: int, aircraft_type: str | None = "B738") -> dict[str, Any]:
    return {
        "airport": airport, "movement_type": movement_type, "at": at, "cid": cid, "callsign": f"QFA{cid % 1000}",
        "logon_time": at - timedelta(hours=2), "aircraft_type": aircraft_type, "matches_flight_plan": True,
    }


def snapshot(update_timestamp: datetime, pilots: int = 0, controllers: int = 0) -> dict[str, Any]:
    return {
        "update_timestamp": update_timestamp, "fetched_at": update_timestamp, "source": "test",
        "body": b"\x28\xb5\x2f\xfd", "body_encoding": "zstd", "raw_bytes": 2, "compressed_bytes": 2, "pilots": pilots,
        "controllers": controllers, "atis": 0, "prefiles": 0, "pilots_stored": pilots,
        "controllers_stored": controllers, "skipped_records": 0, "duplicates_dropped": 0, "region": "global",
    }


def _frame(spec: TableSpec, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(spec.columns), dtype=object)


def _days(rows: list[dict[str, Any]], column: str) -> tuple[date, date]:
    days = [r[column].astimezone(UTC).date() for r in rows]
    return min(days), max(days)


def add(engine: sa.Engine, spec: TableSpec, rows: list[dict[str, Any]]) -> None:
    """Write rows into a table (creating day partitions as needed): upsert where the table has a key
    the writer merges on, append otherwise."""
    if not rows:
        return
    with engine.begin() as conn:
        if spec.day_partitioned:
            first, last = _days(rows, spec.window_column)
            ensure_partitions(conn, first, last, [spec.name])
        if spec in (FLIGHTS, ATC_POSITIONS, FEED_SNAPSHOTS):
            bulk.upsert(conn, spec, _frame(spec, rows))
        else:
            bulk.append(conn, spec, _frame(spec, rows))


def add_flights(engine: sa.Engine, rows: list[dict[str, Any]]) -> None:
    add(engine, FLIGHTS, rows)


def add_controllers(engine: sa.Engine, rows: list[dict[str, Any]]) -> None:
    add(engine, ATC_POSITIONS, rows)


def add_movements(engine: sa.Engine, rows: list[dict[str, Any]]) -> None:
    add(engine, TRAFFIC_MOVEMENTS, rows)


def add_snapshots(engine: sa.Engine, rows: list[dict[str, Any]]) -> None:
    add(engine, FEED_SNAPSHOTS, rows)


def add_movement_summary(engine: sa.Engine, day: date, airport: str = "YSSY", movements: int = 1) -> None:
    add(engine, MOVEMENT_SUMMARIES, [{
        "date": day, "airport": airport, "hour": 0, "movement_type": "arrival", "aircraft_type": "B738",
        "movements": movements,
    }])


def empty_warehouse(engine: sa.Engine) -> None:
    """Every warehouse table emptied (for module-scoped fixtures; the `engine` fixture does this per test)."""
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE " + ", ".join(spec.qualified for spec in TABLES.values()))


def table_md5(engine: sa.Engine, table: str) -> str:
    """A fingerprint of a whole table's contents, independent of physical row order."""
    with engine.connect() as conn:
        return conn.execute(sa.text(
            f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM vatstats.{table} AS t"
        )).scalar_one()


def rows_of(engine: sa.Engine, sql: str, **params: Any) -> list[sa.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params))


def materialize(
    database_url: str, assets: list, *, partition_key: str | None = None, tags: dict[str, str] | None = None,
    selection: Any = None,
) -> dg.ExecuteInProcessResult:
    """Materialise assets (and any asset checks passed among them) against the test warehouse."""
    return dg.materialize(
        assets, partition_key=partition_key, tags=tags, selection=selection,
        resources=run_resources(database_url), raise_on_error=False,
    )


def check_results(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    """Check evaluations of a run keyed 'asset:check'."""
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}": e for e in result.get_asset_check_evaluations()
    }


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {
        e.event_specific_data.materialization.asset_key.to_user_string()
        for e in result.get_asset_materialization_events()
    }
