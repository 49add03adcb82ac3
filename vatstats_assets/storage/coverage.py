"""A day's coverage_hourly rows from the warehouse: pilots online, their tracks, their contacts, the
airports with movements and the stations on air read; core/coverage_hourly.py applied."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import sqlalchemy as sa

from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.coverage_hourly import Airports, Covered, Online, Stations, hourly_coverage, minute_samples
from vatstats_assets.core.coverage_rules import station_range_nm
from vatstats_assets.core.track_columns import to_micros
from vatstats_assets.storage.sql_files import query
from vatstats_assets.storage.track_points import window_tracks


def day_coverage(conn: sa.Connection, day_start: datetime, day_end: datetime, airports: AirportIndex) -> list[tuple]:
    """coverage_hourly's rows of the day (COVERAGE_HOURLY's columns, in order)."""
    bounds = {"window_start": day_start, "window_end": day_end}
    pilots = conn.execute(sa.text(query("coverage_pilots")), bounds).all()
    ticks = np.array([to_micros(r[0]) for r in conn.execute(sa.text(query("atc_contact_ticks")), bounds)],
                     dtype=np.int64)
    if not pilots or not len(ticks):
        return []
    tracks, connection_of = window_tracks(conn, bounds, [(p.cid, p.callsign, p.logon_time) for p in pilots])
    known = [(connection_of.get((p.cid, to_micros(p.logon_time), p.callsign_hash)), p) for p in pilots]
    online = Online(
        connection=np.array([c for c, _ in known if c is not None], dtype=np.int64),
        first_seen=np.array([to_micros(p.first_seen) for c, p in known if c is not None], dtype=np.int64),
        last_seen=np.array([to_micros(p.last_seen) for c, p in known if c is not None], dtype=np.int64),
    )
    samples, minutes = minute_samples(ticks, to_micros(day_start))
    rows = hourly_coverage(samples, minutes, online, tracks, _covered(conn, bounds, connection_of),
                           _airports(conn, bounds, airports), _stations(conn, bounds))
    day = day_start.date()
    return [(day, r.hour, r.area_kind, r.area, r.aircraft, r.aircraft_minutes, r.covered_aircraft_minutes,
             r.uncovered_aircraft_minutes, r.covered_share, r.staffed_minutes, r.peak_aircraft) for r in rows]


def _covered(conn: sa.Connection, bounds: dict[str, datetime], connection_of: dict) -> Covered:
    found = [(connection_of.get((r.pilot_cid, to_micros(r.pilot_logon_time), r.callsign_hash)), r)
             for r in conn.execute(sa.text(query("coverage_contacts")), bounds)]
    found = [(c, r) for c, r in found if c is not None]
    return Covered(np.array([c for c, _ in found], dtype=np.int64),
                   np.array([to_micros(r.started_at) for _, r in found], dtype=np.int64),
                   np.array([to_micros(r.ended_at) for _, r in found], dtype=np.int64))


def _airports(conn: sa.Connection, bounds: dict[str, datetime], index: AirportIndex) -> Airports:
    known = [a for a in (index.get(code) for code in conn.execute(sa.text(query("coverage_airports")), bounds)
                         .scalars()) if a is not None]
    return Airports([a.icao for a in known], np.array([a.latitude for a in known], dtype=np.float64),
                    np.array([a.longitude for a in known], dtype=np.float64))


def _stations(conn: sa.Connection, bounds: dict[str, datetime]) -> Stations:
    runs = [r for r in conn.execute(sa.text(query("coverage_stations")), bounds) if r.site_latitudes]
    offsets = np.cumsum([0] + [len(r.site_latitudes) for r in runs]).astype(np.int64)
    return Stations(
        start=np.array([to_micros(r.first_seen) for r in runs], dtype=np.int64),
        end=np.array([to_micros(r.last_seen) for r in runs], dtype=np.int64),
        facility=np.array([r.facility for r in runs], dtype=np.int64),
        range_nm=np.array([station_range_nm(r.facility, r.visual_range) for r in runs], dtype=np.float64),
        site_offsets=offsets,
        site_latitude=np.array([x for r in runs for x in r.site_latitudes], dtype=np.float64),
        site_longitude=np.array([x for r in runs for x in r.site_longitudes], dtype=np.float64),
    )
