"""Airport movements: departures and arrivals detected from the track history, per UTC day."""


import time
from datetime import timedelta

import dagster as dg
import pandas as pd

from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.movements import detect_movements
from vatstats_assets.defs.conventions import INGEST_REBUILD, REFRESH_TODAY
from vatstats_assets.defs.daily_assets import daily_table_asset, each_day
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.tables import TRAFFIC_MOVEMENTS
from vatstats_assets.storage.tracks import load_tracks

MOVEMENTS_GROUP = "movements"


def movement_rows(movements) -> pd.DataFrame:
    rows = [
        {
            "airport": m.airport, "movement_type": m.movement_type, "at": m.at, "cid": m.cid,
            "callsign": m.callsign, "logon_time": m.logon_time, "aircraft_type": m.aircraft_type,
            "filed_departure": m.filed_departure, "filed_arrival": m.filed_arrival,
            "matches_flight_plan": m.matches_flight_plan,
        }
        for m in movements
    ]
    return pd.DataFrame(rows, columns=TRAFFIC_MOVEMENTS.columns, dtype=object)


@daily_table_asset(
    TRAFFIC_MOVEMENTS, group=MOVEMENTS_GROUP, deps=["flight_positions", "flights", INGEST_REBUILD],
    automation_condition=REFRESH_TODAY, tags={"vatstats/layer": "derived"},
)
def traffic_movements(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """Every departure and arrival at an airport on a UTC day, detected from the track history
    (with context from the day before, so a flight crossing midnight is counted once)."""
    window = context.partition_time_window
    engine = warehouse.engine
    airports = AirportIndex.from_airportsdata()
    with engine.begin() as conn:
        ensure_partitions(conn, window.start.date(), (window.end - timedelta(seconds=1)).date(),
                          [TRAFFIC_MOVEMENTS.name])
    started = time.perf_counter()
    frames, points = [], 0
    # Day by day: a week's backfill run never holds more than one day's tracks in memory.
    for day_start, day_end in each_day(window.start, window.end):
        with engine.connect() as conn:
            tracks = load_tracks(conn, day_start, day_end)
        points += tracks.points
        found = detect_movements(tracks.connections, airports, window_start=day_start, window_end=day_end)
        frames.append(movement_rows(found))
    frame = pd.concat(frames, ignore_index=True) if frames else movement_rows([])
    elapsed = time.perf_counter() - started
    context.add_output_metadata({
        "departures": int((frame["movement_type"] == "departure").sum()),
        "arrivals": int((frame["movement_type"] == "arrival").sum()),
        "airports": int(frame["airport"].nunique()),
        "position_rows_read": points,
        "detect_s": round(elapsed, 2),
        "positions_per_s": round(points / elapsed) if elapsed > 0 else 0,
    })
    return frame
