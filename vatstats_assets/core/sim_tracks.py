"""Tracks of simulated snapshots, built the way ingestion stores them (pure: no database).

Each snapshot goes through the parser, the region filter and the "parked aircraft are not
repeated" rule exactly as live ingestion does, so detection is scored on what the warehouse holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from vatstats_assets.core.feed import parse_document
from vatstats_assets.core.movements import Connection, TrackPoint
from vatstats_assets.core.region import Region
from vatstats_assets.core.snapshot_rows import moved_positions, tick_rows

Key = tuple[int, str, datetime]


def connections_from_snapshots(documents: Iterable[dict], region: Region) -> list[Connection]:
    previous: dict[Key, tuple[float, float, int, int]] = {}  # as the flights rows hold it
    points: dict[Key, list[TrackPoint]] = {}
    plans: dict[Key, tuple[str | None, str | None, str | None]] = {}
    for document in documents:
        rows = tick_rows(parse_document(document), region)
        for flight in rows.flights:
            plans[(flight.cid, flight.callsign, flight.logon_time)] = (
                flight.aircraft_type, flight.departure, flight.arrival,
            )
        positions = rows.positions
        for row in moved_positions(positions, previous):
            points.setdefault((row.cid, row.callsign, row.logon_time), []).append(TrackPoint(
                row.observed_at, row.latitude, row.longitude, row.altitude_ft, row.groundspeed_kt,
            ))
        for row in positions:  # every position seen, stored or not, as the flights upsert keeps it
            previous[(row.cid, row.callsign, row.logon_time)] = (
                row.latitude, row.longitude, row.altitude_ft, row.groundspeed_kt,
            )
    return [
        Connection(key[0], key[1], key[2], *plans[key], tuple(track))
        for key, track in points.items()
    ]
