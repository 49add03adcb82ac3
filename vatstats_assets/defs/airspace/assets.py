"""The airspace (the user's sector files, in tables), which sectors flights were in, and each
sector's hourly load and staffing."""

import time
import warnings
from pathlib import Path

import dagster as dg
import pandas as pd

from vatstats_assets.core.airspace import Airspace, AirspaceError, files_digest, load_airspace
from vatstats_assets.core.sector_load import SectorHour, sector_hours
from vatstats_assets.core.sector_occupancy import SectorIndex, Stay, sector_stays, track_arrays
from vatstats_assets.defs.conventions import INGEST_REBUILD, OWNERS, REFRESH_TODAY
from vatstats_assets.defs.daily_assets import daily_table_asset, each_day
from vatstats_assets.defs.io_manager import write_metadata
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage.airspace import (
    controllers_online,
    sector_rows,
    stored_airspace,
    stored_stays,
    volume_rows,
)
from vatstats_assets.storage.tables import AIRSPACE_SECTORS, AIRSPACE_VOLUMES, SECTOR_HOURLY_LOAD, SECTOR_OCCUPANCY
from vatstats_assets.storage.tracks import load_tracks

AIRSPACE_GROUP = "airspace"
SECTORS_GROUP = "sectors"
AIRSPACE_KEYS = ("airspace_volumes", "airspace_sectors")
BUSIEST_SHOWN = 10

# Today's occupancy refreshes on the movements' cadence. The airspace tables are unpartitioned and
# change only when the files do: they must not hold the refresh back (on_cron waits for every
# dependency to update after the tick), so they are ignored here; a new airspace is applied to
# past days by a backfill.
REFRESH_TODAY_WITH_AIRSPACE = REFRESH_TODAY.ignore(dg.AssetSelection.assets(*AIRSPACE_KEYS))
FOLLOW_OCCUPANCY = dg.AutomationCondition.eager().ignore(
    dg.AssetSelection.groups("ingest") | dg.AssetSelection.assets(*AIRSPACE_KEYS)
)


class AirspaceFilesResource(dg.ConfigurableResource):
    """The folder of the division's sector files (VATSTATS_AIRSPACE_DIR)."""

    folder: str

    def load(self) -> Airspace:
        return load_airspace(Path(self.folder))

    def digest(self) -> str:
        return files_digest(Path(self.folder))


def _out(name: str, table: str, description: str) -> dg.AssetOut:
    return dg.AssetOut(
        group_name=AIRSPACE_GROUP, kinds={"postgres"}, owners=OWNERS, description=description,
        metadata=write_metadata("replace_table", table), io_manager_key="warehouse_io_manager",
        tags={"vatstats/layer": "reference"},
    )


@dg.multi_asset(
    name="airspace",
    outs={
        "airspace_volumes": _out("airspace_volumes", AIRSPACE_VOLUMES.qualified,
                                 "Airspace volumes (polygon and altitude band) read from VATSTATS_AIRSPACE_DIR."),
        "airspace_sectors": _out("airspace_sectors", AIRSPACE_SECTORS.qualified,
                                 "Sectors (callsign, frequency, volumes, responsible sectors) read from "
                                 "VATSTATS_AIRSPACE_DIR."),
    },
    can_subset=False,
    description="Load the division's sector files into the warehouse; the data version is the files' hash.",
)
def airspace(context: dg.AssetExecutionContext, airspace_files: AirspaceFilesResource):
    try:
        loaded = airspace_files.load()
    except AirspaceError as error:
        raise dg.Failure(description=str(error)) from None
    # The files' hash is the data version: downstream days show as stale when the files change.
    version = dg.DataVersion(loaded.digest)
    common = {"airspace_version": loaded.digest, "files": ", ".join(loaded.files)}
    with warnings.catch_warnings():
        # `data_version` on an Output is "beta" in Dagster 1.13; the pinned release is tested with it,
        # and it is what makes downstream days show as stale when the files change.
        warnings.simplefilter("ignore", dg.BetaWarning)
        volumes = dg.Output(volume_rows(loaded), output_name="airspace_volumes", data_version=version,
                            metadata={**common, "volumes": len(loaded.volumes)})
        sectors = dg.Output(sector_rows(loaded), output_name="airspace_sectors", data_version=version,
                            metadata={**common, "sectors": len(loaded.sectors)})
    yield volumes
    yield sectors


def stay_rows(stays: list[Stay], version: str) -> pd.DataFrame:
    rows = [(s.sector, s.cid, s.callsign, s.logon_time, s.entered_at, s.exited_at, s.entry, s.exit, version)
            for s in stays]
    return pd.DataFrame(rows, columns=list(SECTOR_OCCUPANCY.columns), dtype=object)


def load_rows(hours: list[SectorHour], version: str) -> pd.DataFrame:
    rows = [(h.date, h.hour, h.sector, h.aircraft, h.entries, h.aircraft_minutes, h.peak_aircraft, h.peak_at,
             h.staffed_minutes, h.unstaffed_aircraft_minutes, version) for h in hours]
    return pd.DataFrame(rows, columns=list(SECTOR_HOURLY_LOAD.columns), dtype=object)


def _airspace_or_fail(warehouse: WarehouseResource) -> Airspace:
    with warehouse.engine.connect() as conn:
        found = stored_airspace(conn)
    if found is None:
        raise dg.Failure(description="No airspace stored yet: materialise the airspace asset first.")
    return found


@daily_table_asset(
    SECTOR_OCCUPANCY, group=SECTORS_GROUP, deps=["flight_positions", "flights", INGEST_REBUILD, *AIRSPACE_KEYS],
    automation_condition=REFRESH_TODAY_WITH_AIRSPACE, tags={"vatstats/layer": "derived"},
)
def sector_occupancy(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """Every stay of a flying aircraft in a sector on a UTC day (3-D: polygon and altitude band),
    entries and exits timed between snapshots; stays crossing midnight are cut."""
    window = context.partition_time_window
    airspace_now = _airspace_or_fail(warehouse)
    index = SectorIndex(airspace_now)
    frames, points, place_s = [], 0, 0.0
    for day_start, day_end in each_day(window.start, window.end):
        with warehouse.engine.connect() as conn:
            tracks = load_tracks(conn, day_start, day_end)
        points += tracks.points
        started = time.perf_counter()
        stays = sector_stays(track_arrays(tracks.connections), index, window_start=day_start, window_end=day_end)
        place_s += time.perf_counter() - started
        frames.append(stay_rows(stays, airspace_now.digest))
    frame = pd.concat(frames, ignore_index=True) if frames else stay_rows([], airspace_now.digest)
    context.add_output_metadata({
        "stays": len(frame),
        "boundary_entries": int((frame["entry"] == "boundary").sum()),
        "sectors_used": int(frame["sector"].nunique()),
        "position_rows_read": points,
        "place_s": round(place_s, 2),
        "airspace_version": airspace_now.digest,
    })
    return frame


def busiest_sectors_markdown(frame: pd.DataFrame, limit: int = BUSIEST_SHOWN) -> str:
    """The day's busiest sectors (by aircraft-minutes) as a Markdown table."""
    if frame.empty:
        return "No aircraft in any sector in this partition."
    numbers = frame.astype({"aircraft_minutes": float, "unstaffed_aircraft_minutes": float,
                            "staffed_minutes": float, "peak_aircraft": int, "entries": int})
    by_sector = numbers.groupby("sector").agg(
        aircraft_minutes=("aircraft_minutes", "sum"), entries=("entries", "sum"), peak=("peak_aircraft", "max"),
        staffed_minutes=("staffed_minutes", "sum"), unstaffed=("unstaffed_aircraft_minutes", "sum"),
    ).sort_values("aircraft_minutes", ascending=False, kind="stable").head(limit)
    lines = ["| sector | aircraft-minutes | entries | peak aircraft | staffed h | unstaffed aircraft-minutes |",
             "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {sector} | {r.aircraft_minutes:.0f} | {r.entries} | {r.peak} | {r.staffed_minutes / 60:.1f} | "
              f"{r.unstaffed:.0f} |" for sector, r in by_sector.iterrows()]
    return "\n".join(lines)


@daily_table_asset(
    SECTOR_HOURLY_LOAD, group=SECTORS_GROUP, deps=["sector_occupancy", "atc_positions", INGEST_REBUILD, *AIRSPACE_KEYS],
    automation_condition=FOLLOW_OCCUPANCY, tags={"vatstats/layer": "summary"},
)
def sector_hourly_load(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> pd.DataFrame:
    """Per sector and UTC hour: aircraft, aircraft-minutes, peak concurrent aircraft and when, minutes
    staffed (own callsign or frequency, or a position responsible for it) and aircraft-minutes unstaffed."""
    window = context.partition_time_window
    airspace_now = _airspace_or_fail(warehouse)
    started = time.perf_counter()
    hours: list[SectorHour] = []
    for day_start, day_end in each_day(window.start, window.end):
        with warehouse.engine.connect() as conn:
            stays = stored_stays(conn, day_start, day_end)
            controllers = controllers_online(conn, day_start, day_end)
        hours += sector_hours(stays, controllers, airspace_now, day_start=day_start)
    frame = load_rows(hours, airspace_now.digest)
    context.add_output_metadata({
        "sector_hours": len(frame),
        "aircraft_hours": round(float(frame["aircraft_minutes"].sum()) / 60, 1) if not frame.empty else 0.0,
        "unstaffed_aircraft_hours": round(float(frame["unstaffed_aircraft_minutes"].sum()) / 60, 1)
        if not frame.empty else 0.0,
        "peak_aircraft_in_a_sector": int(frame["peak_aircraft"].max()) if not frame.empty else 0,
        "duration_s": round(time.perf_counter() - started, 2),
        "busiest_sectors": dg.MetadataValue.md(busiest_sectors_markdown(frame)),
    })
    return frame

