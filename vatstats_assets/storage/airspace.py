"""The airspace in the warehouse: rows for its tables, the stored airspace read back, and the
controllers online who may staff its sectors."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import shapely
import sqlalchemy as sa

from vatstats_assets.core.airspace import Airspace, Sector, Volume
from vatstats_assets.core.sector_load import ControllerOnline
from vatstats_assets.core.sector_occupancy import Stay
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.tables import AIRSPACE_SECTORS, AIRSPACE_VOLUMES


def _text_array(names: tuple[str, ...]) -> str:
    """A PostgreSQL text[] literal for COPY text: each name quoted, quotes and backslashes escaped."""
    quoted = ('"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"' for n in names)
    return "{" + ",".join(quoted) + "}"


def volume_rows(airspace: Airspace) -> pd.DataFrame:
    rows = [(v.name, v.lower_ft, v.upper_ft, _text_array(v.boundaries), shapely.to_geojson(v.geometry, indent=None),
             v.source, airspace.digest) for v in airspace.volumes.values()]
    return pd.DataFrame(rows, columns=list(AIRSPACE_VOLUMES.columns), dtype=object)


def sector_rows(airspace: Airspace) -> pd.DataFrame:
    rows = [(s.name, s.full_name, s.callsign, s.frequency, _text_array(s.volumes), _text_array(s.responsible_sectors),
             s.source, airspace.digest) for s in airspace.sectors.values()]
    return pd.DataFrame(rows, columns=list(AIRSPACE_SECTORS.columns), dtype=object)


def stored_airspace(conn: sa.Connection) -> Airspace | None:
    """The airspace the `airspace` asset last stored; None when it has never run."""
    volumes = {
        r.name: Volume(r.name, r.lower_ft, r.upper_ft, tuple(r.boundaries),
                       shapely.from_geojson(json.dumps(r.geometry)), r.source_file)
        for r in conn.execute(sa.text(
            "SELECT name, lower_ft, upper_ft, boundaries, geometry, source_file FROM vatstats.airspace_volumes"))
    }
    sectors: dict[str, Sector] = {}
    digest = ""
    for r in conn.execute(sa.text(
        "SELECT name, full_name, callsign, frequency, volumes, responsible_sectors, source_file, airspace_version "
        "FROM vatstats.airspace_sectors"
    )):
        sectors[r.name] = Sector(r.name, r.full_name, r.callsign, r.frequency, tuple(r.volumes),
                                 tuple(r.responsible_sectors), r.source_file)
        digest = r.airspace_version
    if not sectors:
        return None
    return Airspace({}, volumes, sectors, (), digest)


def controllers_online(conn: sa.Connection, day_start: datetime, day_end: datetime) -> list[ControllerOnline]:
    """Controller connections (no ATIS, no observers) online during [day_start, day_end)."""
    return [
        ControllerOnline(r.callsign, f"{r.frequency_khz / 1000:.3f}" if r.frequency_khz else None, r.facility,
                         r.started, r.last_seen)
        for r in conn.execute(sa.text(query("sector_staffing")), {"day_start": day_start, "day_end": day_end})
    ]


def stored_stays(conn: sa.Connection, day_start: datetime, day_end: datetime) -> list[Stay]:
    """The sector_occupancy rows of one day (entered_at in [day_start, day_end))."""
    return [
        Stay(r.sector, r.cid, r.callsign, r.logon_time, r.entered_at, r.exited_at, r.entry, r.exit)
        for r in conn.execute(sa.text(query("sector_stays")), {"day_start": day_start, "day_end": day_end})
    ]
