"""coverage_hourly: per UTC day, hour and area, the traffic, the share of it in contact with a
controller, and the minutes a controller was on station (core/coverage_hourly.py has the rules)."""

import time

import dagster as dg
import pandas as pd

from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.defs.conventions import INGEST_REBUILD
from vatstats_assets.defs.coverage.contacts import COVERAGE_GROUP
from vatstats_assets.defs.daily_assets import daily_table_asset, each_day
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.coverage import day_coverage
from vatstats_assets.storage.tables import COVERAGE_HOURLY

NEEDS_SHOWN = 10

# Follows the contacts and the movements it reads (once they are updated, not on every ingest tick).
FOLLOW_CONTACTS = dg.AutomationCondition.eager().ignore(dg.AssetSelection.groups("ingest"))


def needs_markdown(frame: pd.DataFrame, limit: int = NEEDS_SHOWN) -> str:
    """Where and when traffic most ran with nobody to talk to, as a Markdown table."""
    if frame.empty:
        return "No traffic in this partition."
    top = frame.sort_values(["uncovered_aircraft_minutes", "date", "hour"], ascending=[False, True, True],
                            kind="stable").head(limit)
    lines = ["| date | hour (UTC) | area | aircraft | uncovered aircraft-minutes | covered | staffed minutes |",
             "|---|---:|---|---:|---:|---:|---:|"]
    lines += [f"| {r.date} | {r.hour:02d} | {r.area} | {r.aircraft} | {r.uncovered_aircraft_minutes} | "
              f"{float(r.covered_share):.0%} | {r.staffed_minutes} |" for r in top.itertuples(index=False)]
    return "\n".join(lines)


@daily_table_asset(
    COVERAGE_HOURLY, group=COVERAGE_GROUP,
    deps=["atc_contacts", "traffic_movements", "flight_positions", "flights", "transceiver_tunings", INGEST_REBUILD],
    automation_condition=FOLLOW_CONTACTS, tags={"vatstats/layer": "summary"},
)
def coverage_hourly(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """Per UTC hour and area (each airport with movements, and all enroute traffic): aircraft,
    aircraft-minutes sampled once a minute, the share in contact with a controller, the uncovered
    aircraft-minutes ("when do we need more controllers") and the minutes a controller was on station."""
    window = context.partition_time_window
    airports = AirportIndex.from_airportsdata()
    started = time.perf_counter()
    rows: list[tuple] = []
    for day_start, day_end in each_day(window.start, window.end):
        with warehouse.engine.connect() as conn:
            rows += day_coverage(conn, day_start, day_end, airports)
    frame = pd.DataFrame(rows, columns=list(COVERAGE_HOURLY.columns), dtype=object)
    total = int(frame["aircraft_minutes"].sum()) if not frame.empty else 0
    covered = int(frame["covered_aircraft_minutes"].sum()) if not frame.empty else 0
    context.add_output_metadata({
        "aircraft_minutes": total,
        "covered_share": round(covered / total, 4) if total else 0.0,
        "uncovered_aircraft_minutes": total - covered,
        "airports": int(frame.loc[frame["area_kind"] == "airport", "area"].nunique()) if not frame.empty else 0,
        "duration_s": round(time.perf_counter() - started, 2),
        "where_more_controllers_are_needed": dg.MetadataValue.md(needs_markdown(frame)),
    })
    return frame
