"""Track points of a window by binary COPY into numpy, for the coverage assets (storage/contacts.py,
storage/coverage.py): 8 million points for a 1,500-pilot day, plus each listed connection's last
point before the window (the track keeps only points that moved: an aircraft parked since).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import sqlalchemy as sa

from vatstats_assets.core.contacts import Tracks
from vatstats_assets.core.track_columns import to_micros
from vatstats_assets.storage.copy_numpy import copy_columns_in_slices
from vatstats_assets.storage.sql_files import query

_FIELDS = (  # window_track_points.sql's columns in order: name, type on the wire
    ("cid", ">i4"), ("logon", ">i8"), ("callsign_hash", ">i4"), ("micros", ">i8"),
    ("latitude", ">f8"), ("longitude", ">f8"), ("altitude_ft", ">i4"),
)

ConnectionKey = tuple[int, str, datetime]
WireKey = tuple[int, int, int]  # cid, logon micros, hashtext(callsign)


def window_tracks(conn: sa.Connection, bounds: dict[str, datetime], pilots: Sequence[ConnectionKey]
                  ) -> tuple[Tracks, dict[WireKey, int]]:
    """Every track point in [window_start, window_end), plus the last one before it of each of `pilots`,
    as core.contacts.Tracks, and each connection's index in it by its wire key (connections without
    a point are left out: nobody can tell where they were)."""
    window = copy_columns_in_slices(conn, query("window_track_points"), bounds, _FIELDS,
                                    "window_track_points.sql")
    before = conn.execute(sa.text(query("track_points_before")), {
        "cids": [p[0] for p in pilots], "callsigns": [p[1] for p in pilots],
        "logon_times": [p[2] for p in pilots], "window_start": bounds["window_start"]}).all()
    # A point before the window only answers for ticks after it; its own time no longer matters.
    earliest = to_micros(bounds["window_start"]) - 1
    cid = np.concatenate([window["cid"].astype(np.int64), np.array([r.cid for r in before], dtype=np.int64)])
    logon = np.concatenate([window["logon"].astype(np.int64),
                            np.array([to_micros(r.logon_time) for r in before], dtype=np.int64)])
    callsign_hash = np.concatenate([window["callsign_hash"].astype(np.int64),
                                    np.array([r.callsign_hash for r in before], dtype=np.int64)])
    micros = np.concatenate([window["micros"].astype(np.int64), np.full(len(before), earliest, dtype=np.int64)])
    latitude = np.concatenate([window["latitude"].astype(np.float64), [r.latitude for r in before]])
    longitude = np.concatenate([window["longitude"].astype(np.float64), [r.longitude for r in before]])
    altitude = np.concatenate([window["altitude_ft"].astype(np.int64), np.array([r.altitude_ft for r in before],
                                                                                  dtype=np.int64)])
    connection, firsts = _connection_ids(cid, logon, callsign_hash)
    # One sort by (connection, time): times relative to the earliest fit beside the connection id.
    order = np.argsort((connection << 38) | (micros - earliest), kind="stable")
    connection_of: dict[WireKey, int] = {
        (c, m, h): i for i, (c, m, h) in enumerate(zip(cid[firsts].tolist(), logon[firsts].tolist(),
                                                       callsign_hash[firsts].tolist(), strict=True))}
    tracks = Tracks(connection[order], micros[order], latitude[order], longitude[order], altitude[order])
    return tracks, connection_of


def _connection_ids(cid: np.ndarray, logon: np.ndarray, callsign_hash: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A dense id per distinct (cid, logon, callsign hash), and one row index of each id.

    The three are mixed into one 64-bit value and sorted once (cheaper than sorting by three keys);
    two connections mixing to the same value are never seen, but would be refused, not merged.
    """
    mixed = (cid.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ logon.astype(np.uint64) ^ (
        callsign_hash.astype(np.uint64) << np.uint64(40))
    _, firsts, connection = np.unique(mixed, return_index=True, return_inverse=True)
    same = ((cid[firsts][connection] == cid) & (logon[firsts][connection] == logon)
            & (callsign_hash[firsts][connection] == callsign_hash))
    if not same.all():
        raise RuntimeError("two pilot connections mixed to the same id: a collision never seen before")
    return connection.astype(np.int64), firsts
