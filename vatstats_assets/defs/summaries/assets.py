"""Daily summaries: movements per airport and hour, completed flights, controller time, network figures."""


import json
import time
from collections.abc import Iterable
from datetime import datetime

import dagster as dg
import pandas as pd

from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.flight_coverage import PilotKey, controller_load, flight_coverage
from vatstats_assets.core.flights import CompletedFlight, completed_flights
from vatstats_assets.core.sessions import ControllerDay, controller_days
from vatstats_assets.defs.conventions import INGEST_REBUILD, REFRESH_TODAY
from vatstats_assets.defs.daily_assets import daily_table_asset, each_day
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.summaries import (
    ConnectionContacts,
    controller_connections,
    controller_contacts,
    flight_contacts,
    movement_summary_rows,
    network_day_row,
)
from vatstats_assets.storage.tables import (
    CONTROLLER_SUMMARIES,
    FLIGHT_SUMMARIES,
    MOVEMENT_SUMMARIES,
    NETWORK_DAILY_STATS,
    TableSpec,
)
from vatstats_assets.storage.tracks import load_whole_flights

SUMMARIES_GROUP = "summaries"
SUMMARY_TAGS = {"vatstats/layer": "summary"}

# Today's summaries follow the movements they read: they refresh once traffic_movements' partition
# has been updated, not on every 15 s ingest tick (the ingest assets are ignored). Yesterday's are
# finalised after midnight by the finalise_yesterday schedule, which runs movements and summaries.
FOLLOW_MOVEMENTS = dg.AutomationCondition.eager().ignore(dg.AssetSelection.groups("ingest"))

# controller_summaries reads only ingest tables, which change every 15 s: it refreshes on the
# movements' own 20-minute cadence instead (REFRESH_TODAY).

BUSIEST_SHOWN = 10


def _frame(rows: Iterable[tuple], spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(spec.columns), dtype=object)


def flight_summary_rows(flights: Iterable[CompletedFlight], contacts: dict[PilotKey, ConnectionContacts]
                        ) -> list[tuple]:
    """FLIGHT_SUMMARIES rows: each flight's own columns, then its coverage from its connection's contacts."""
    rows = []
    for flight in flights:
        key = (flight.cid, flight.callsign, flight.logon_time)
        found = contacts.get(key)
        last_seen = max(found.last_seen, flight.landing_at) if found else flight.landing_at
        airborne = (flight.takeoff_at, flight.landing_at) if flight.takeoff_at is not None else None
        coverage = flight_coverage(found.contacts if found else [], (flight.logon_time, last_seen), airborne)
        rows.append(tuple(getattr(flight, c) if hasattr(flight, c) else getattr(coverage, c)
                          for c in FLIGHT_SUMMARIES.columns))
    return rows


def controller_summary_rows(days: Iterable[ControllerDay],
                            contacts: dict[tuple[str, int], list[tuple[PilotKey, datetime, datetime]]]) -> list[tuple]:
    """CONTROLLER_SUMMARIES rows: each controller day, then the aircraft it had contact with."""
    rows = []
    for day in days:
        load = controller_load(contacts.get((day.callsign, day.cid), []))
        rows.append(tuple(getattr(day, c) if hasattr(day, c) else getattr(load, c)
                          for c in CONTROLLER_SUMMARIES.columns))
    return rows


def flight_coverage_metadata(frame: pd.DataFrame) -> dict[str, float]:
    """What the UI plots of a day's flights' coverage: the share of IFR flights with any ATC contact,
    and the mean covered share of airborne time."""
    ifr = frame[frame["flight_rules"] == "I"]
    shares = frame["atc_airborne_covered_share"].dropna().astype(float)
    return {
        "ifr_flights_with_atc_share": round(float((ifr["atc_covered_seconds"].astype(float) > 0).mean()), 4)
        if not ifr.empty else 0.0,
        "mean_airborne_covered_share": round(float(shares.mean()), 4) if not shares.empty else 0.0,
    }


def busiest_airports_markdown(frame: pd.DataFrame, limit: int = BUSIEST_SHOWN) -> str:
    """The busiest airports of a movement_summaries frame as a Markdown table."""
    if frame.empty:
        return "No movements in this partition."
    counts = frame.astype({"movements": int}).pivot_table(
        index="airport", columns="movement_type", values="movements", aggfunc="sum", fill_value=0
    )
    counts = counts.reindex(columns=["departure", "arrival"], fill_value=0)
    counts["total"] = counts["departure"] + counts["arrival"]
    top = counts.sort_values(["total", "departure"], ascending=False, kind="stable").head(limit)
    lines = ["| airport | departures | arrivals | total |", "|---|---:|---:|---:|"]
    lines += [f"| {airport} | {r.departure} | {r.arrival} | {r.total} |" for airport, r in top.iterrows()]
    return "\n".join(lines)


@daily_table_asset(
    MOVEMENT_SUMMARIES, group=SUMMARIES_GROUP, deps=["traffic_movements"],
    automation_condition=FOLLOW_MOVEMENTS, tags=SUMMARY_TAGS,
)
def movement_summaries(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """Departures and arrivals per airport, UTC day and hour, by aircraft type: the counts behind
    every "busiest airports" table."""
    window = context.partition_time_window
    started = time.perf_counter()
    with warehouse.engine.connect() as conn:
        frame = _frame(movement_summary_rows(conn, window.start, window.end), MOVEMENT_SUMMARIES)
    by_type = frame.groupby("movement_type")["movements"].sum() if not frame.empty else {}
    context.add_output_metadata({
        "departures": int(by_type.get("departure", 0)),
        "arrivals": int(by_type.get("arrival", 0)),
        "airports": int(frame["airport"].nunique()),
        "duration_s": round(time.perf_counter() - started, 2),
        "busiest_airports": dg.MetadataValue.md(busiest_airports_markdown(frame)),
    })
    return frame


@daily_table_asset(
    FLIGHT_SUMMARIES, group=SUMMARIES_GROUP,
    deps=["traffic_movements", "atc_contacts", "flight_positions", "flights", INGEST_REBUILD],
    automation_condition=FOLLOW_MOVEMENTS, tags=SUMMARY_TAGS,
)
def flight_summaries(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """One row per flight completed (final full-stop landing) on a UTC day: detected and filed
    airports, off-block, take-off, landing and on-block times, airborne minutes, distance flown."""
    window = context.partition_time_window
    airports = AirportIndex.from_airportsdata()
    started = time.perf_counter()
    rows: list[tuple] = []
    points = 0
    # Day by day, like the movements: a week's backfill holds one day's tracks at a time.
    for day_start, day_end in each_day(window.start, window.end):
        with warehouse.engine.connect() as conn:
            # The whole of every flight that lands today: its departure, airborne time, distance.
            tracks = load_whole_flights(conn, day_start, day_end)
        points += tracks.points
        flights = completed_flights(tracks.connections, airports, window_start=day_start, window_end=day_end,
                                    flight_rules=tracks.flight_rules)
        with warehouse.engine.connect() as conn:
            contacts = flight_contacts(conn, sorted({(f.cid, f.callsign, f.logon_time) for f in flights}))
        rows += flight_summary_rows(flights, contacts)
    frame = _frame(rows, FLIGHT_SUMMARIES)
    context.add_output_metadata({
        "flights_completed": len(frame),
        "diverted": int(frame["diverted"].sum()) if not frame.empty else 0,
        "connected_airborne": int(frame["departure"].isna().sum()),
        "distance_nm": round(float(frame["distance_nm"].sum()), 1) if not frame.empty else 0.0,
        **flight_coverage_metadata(frame),
        "position_rows_read": points,
        "duration_s": round(time.perf_counter() - started, 2),
    })
    return frame


@daily_table_asset(
    CONTROLLER_SUMMARIES, group=SUMMARIES_GROUP, deps=["atc_positions", "atc_contacts", INGEST_REBUILD],
    automation_condition=REFRESH_TODAY, tags=SUMMARY_TAGS,
)
def controller_summaries(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """Minutes online per controller and UTC day (ATIS excluded): reconnects within 5 minutes on the
    same callsign are one session, and a session crossing midnight is split between the two days."""
    window = context.partition_time_window
    started = time.perf_counter()
    rows: list[tuple] = []
    for day_start, day_end in each_day(window.start, window.end):
        with warehouse.engine.connect() as conn:
            connections = controller_connections(conn, day_start, day_end)
            contacts = controller_contacts(conn, day_start, day_end)
        rows += controller_summary_rows(controller_days(connections, day=day_start.date()), contacts)
    frame = _frame(rows, CONTROLLER_SUMMARIES)
    context.add_output_metadata({
        "controllers": len(frame),
        "sessions": int(frame["sessions"].sum()) if not frame.empty else 0,
        "controller_hours": round(float(frame["minutes_online"].sum()) / 60, 1) if not frame.empty else 0.0,
        "aircraft_handled": int(frame["aircraft_handled"].sum()) if not frame.empty else 0,
        "busiest_peak_aircraft": int(frame["peak_aircraft"].max()) if not frame.empty else 0,
        "duration_s": round(time.perf_counter() - started, 2),
    })
    return frame


def network_days_markdown(frame: pd.DataFrame) -> str:
    lines = ["| date | pilots | controllers | peak pilots | snapshots | missed | busiest airports |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in frame.itertuples(index=False):
        busiest = ", ".join(f"{a['airport']} {a['movements']}" for a in json.loads(r.busiest_airports))
        lines.append(f"| {r.date} | {r.unique_pilots} | {r.unique_controllers} | {r.peak_pilots} | "
                     f"{r.snapshots_ingested} | {r.snapshots_missed} | {busiest or '-'} |")
    return "\n".join(lines)


@daily_table_asset(
    NETWORK_DAILY_STATS, group=SUMMARIES_GROUP, deps=["traffic_movements", "raw_feed_snapshot", "flights", "atc_positions", INGEST_REBUILD],
    automation_condition=FOLLOW_MOVEMENTS, tags=SUMMARY_TAGS,
)
def network_daily_stats(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """Network figures per UTC day: unique pilots and controllers, peak concurrency and when,
    snapshots ingested and missed (gaps in the 15 s cadence), the ten busiest airports."""
    window = context.partition_time_window
    started = time.perf_counter()
    with warehouse.engine.connect() as conn:
        rows = [network_day_row(conn, day_start.date(), day_start, day_end)
                for day_start, day_end in each_day(window.start, window.end)]
    frame = _frame(rows, NETWORK_DAILY_STATS)
    context.add_output_metadata({
        "unique_pilots": int(frame["unique_pilots"].max()),
        "unique_controllers": int(frame["unique_controllers"].max()),
        "peak_pilots": int(frame["peak_pilots"].max()),
        "snapshots_ingested": int(frame["snapshots_ingested"].sum()),
        "snapshots_missed": int(frame["snapshots_missed"].sum()),
        "duration_s": round(time.perf_counter() - started, 2),
        "days": dg.MetadataValue.md(network_days_markdown(frame)),
    })
    return frame
