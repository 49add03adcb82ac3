"""atc_contacts: the intervals each pilot was in contact with each controller, per UTC day.

The rules are core/coverage_rules.py's; how they are applied to a day at once, core/contacts.py's;
the reads, storage/contacts.py's. A contact over midnight is cut there, one row on each day.
"""

import time
from collections import Counter

import dagster as dg
import pandas as pd

from vatstats_assets.core.coverage_rules import FACILITY_NAMES
from vatstats_assets.defs.conventions import INGEST_REBUILD, REFRESH_TODAY
from vatstats_assets.defs.daily_assets import daily_table_asset, each_day
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.contacts import day_contacts
from vatstats_assets.storage.tables import ATC_CONTACTS

COVERAGE_GROUP = "coverage"
BUSIEST_SHOWN = 10


def busiest_controllers_markdown(frame: pd.DataFrame, limit: int = BUSIEST_SHOWN) -> str:
    """The controllers in contact with the most pilot connections, as a Markdown table."""
    if frame.empty:
        return "No ATC contacts in this partition."
    frame = frame.assign(seconds=(frame["ended_at"] - frame["started_at"]).dt.total_seconds())
    pilots = frame.groupby("atc_callsign")[["pilot_cid", "pilot_callsign", "pilot_logon_time"]].apply(
        lambda g: len(g.drop_duplicates()))
    minutes = frame.groupby("atc_callsign")["seconds"].sum() / 60
    top = pilots.sort_values(ascending=False, kind="stable").head(limit)
    lines = ["| controller | aircraft | contact minutes |", "|---|---:|---:|"]
    lines += [f"| {callsign} | {count} | {minutes[callsign]:,.0f} |" for callsign, count in top.items()]
    return "\n".join(lines)


@daily_table_asset(
    ATC_CONTACTS, group=COVERAGE_GROUP,
    deps=["transceiver_tunings", "flight_positions", "atc_positions", "raw_feed_snapshot", INGEST_REBUILD],
    automation_condition=REFRESH_TODAY, tags={"vatstats/layer": "derived"},
)
def atc_contacts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """Every interval a pilot connection and a controller connection were on the same radio channel
    (8.33 kHz raster), in consecutive snapshots, with the aircraft within the station's range; ATIS,
    observers, UNICOM and guard excluded. Cut at midnight UTC."""
    window = context.partition_time_window
    started = time.perf_counter()
    rows: list[tuple] = []
    candidates = pair_ticks = points = 0
    # Day by day: a week's backfill run holds one day's tracks at a time.
    for day_start, day_end in each_day(window.start, window.end):
        with warehouse.engine.connect() as conn:
            day = day_contacts(conn, day_start, day_end)
        rows += day.rows
        candidates += day.candidates
        pair_ticks += day.pair_ticks
        points += day.points
    frame = pd.DataFrame(rows, columns=list(ATC_CONTACTS.columns), dtype=object)
    seconds = [(r[9] - r[8]).total_seconds() for r in rows]
    by_facility: Counter[str] = Counter()
    for r, s in zip(rows, seconds, strict=True):
        by_facility[FACILITY_NAMES.get(r[6], str(r[6]))] += s / 60
    context.add_output_metadata({
        "contacts": len(frame),
        "pilots_in_contact": len({r[:3] for r in rows}),
        "controllers_in_contact": len({r[3:6] for r in rows}),
        "contact_minutes": round(sum(seconds) / 60, 1),
        **{f"contact_minutes_{name}": round(by_facility[name], 1) for name in FACILITY_NAMES.values()},
        "candidates": candidates,
        "snapshot_pairs_examined": pair_ticks,
        "position_rows_read": points,
        "duration_s": round(time.perf_counter() - started, 2),
        "busiest_controllers": dg.MetadataValue.md(
            busiest_controllers_markdown(pd.DataFrame(rows, columns=list(ATC_CONTACTS.columns)))),
    })
    return frame
