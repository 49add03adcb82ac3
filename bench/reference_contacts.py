"""A deliberately plain restatement of the contact rule over 15 s snapshots: the yardstick the simulator's
contact truth is checked against, and the in-memory detector of `bench/score_contacts.py`.

Per snapshot: every pilot transceiver's channel against every transceiver of the controllers on that
channel (core/coverage_rules.py: channel_hz, is_controllable_channel, provides_service,
station_range_nm); a pair seen in consecutive snapshots is one contact, from half an interval before
the first to half an interval after the last (the half-interval rule). No database, no speed-ups: the
warehouse's own detection is scored the same way from `vatstats.atc_contacts`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from vatstats_assets.core.contact_scoring import ConnectionKey, ScoredContact
from vatstats_assets.core.coverage_rules import (
    HALF_INTERVAL_S,
    channel_hz,
    is_controllable_channel,
    provides_service,
    station_range_nm,
)
from vatstats_assets.core.feed_values import parse_feed_timestamp
from vatstats_assets.core.geo import haversine_nm

SeenKey = tuple[ConnectionKey, ConnectionKey, int, int]  # pilot, atc, facility, channel


def _key(record: dict) -> ConnectionKey:
    return record["cid"], record["callsign"], parse_feed_timestamp(record["logon_time"])


def contacts_in_snapshot(data: dict, transceivers: list[dict]) -> set[SeenKey]:
    """The (pilot, controller, facility, channel) contacts one snapshot shows."""
    radios = {entry["callsign"]: entry["transceivers"] for entry in transceivers}
    stations: dict[int, list[tuple[ConnectionKey, int, float, list[tuple[float, float]]]]] = {}
    for controller in data["controllers"]:
        if not provides_service(controller["facility"], False):
            continue
        by_channel: dict[int, list[tuple[float, float]]] = {}
        for site in radios.get(controller["callsign"], []):
            by_channel.setdefault(channel_hz(site["frequency"]), []).append((site["latDeg"], site["lonDeg"]))
        reach = station_range_nm(controller["facility"], controller.get("visual_range"))
        for channel, sites in by_channel.items():
            stations.setdefault(channel, []).append((_key(controller), controller["facility"], reach, sites))
    seen: set[SeenKey] = set()
    for pilot in data["pilots"]:
        for radio in radios.get(pilot["callsign"], []):
            channel = channel_hz(radio["frequency"])
            if not is_controllable_channel(channel):
                continue
            for atc, facility, reach, sites in stations.get(channel, []):
                if any(haversine_nm(radio["latDeg"], radio["lonDeg"], lat, lon) <= reach for lat, lon in sites):
                    seen.add((_key(pilot), atc, facility, channel))
    return seen


def detect_contacts(snapshots: Iterable[tuple[dict, list[dict]]]) -> list[ScoredContact]:
    """Contacts from consecutive (data snapshot, transceivers) pairs, oldest first."""
    half = timedelta(seconds=HALF_INTERVAL_S)
    open_runs: dict[SeenKey, tuple[datetime, datetime]] = {}
    found: list[ScoredContact] = []

    def close(key: SeenKey, run: tuple[datetime, datetime]) -> None:
        pilot, atc, facility, channel = key
        found.append(ScoredContact(pilot, atc, facility, channel, run[0] - half, run[1] + half))

    for data, transceivers in snapshots:
        at = parse_feed_timestamp(data["general"]["update_timestamp"])
        seen = contacts_in_snapshot(data, transceivers)
        for key in [k for k in open_runs if k not in seen]:
            close(key, open_runs.pop(key))
        for key in seen:
            open_runs[key] = (open_runs[key][0] if key in open_runs else at, at)
    for key, run in open_runs.items():
        close(key, run)
    return sorted(found, key=lambda c: (c.started_at, c.pilot, c.atc))
