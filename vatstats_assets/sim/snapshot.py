"""Building v3 feed JSON (plain dicts) with the real feed's keys, types and value formats.

Only dict and list literals here: this runs for every pilot every 15 simulated seconds, so it
avoids datetime formatting per record (a tick's second is formatted once and records add a
fraction) and reuses each session's flight-plan dict.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from vatstats_assets.sim.controllers import ControllerConnection, atis_lines
from vatstats_assets.sim.timefmt import utc_from_epoch
from vatstats_assets.sim.traffic import Connection, PilotSession
from vatstats_assets.sim.world import FEED_SERVERS

SNAPSHOT_INTERVAL_S = 15.0

# The feed's lookup tables, as published in every v3 snapshot.
FACILITIES = [
    {"id": 0, "short": "OBS", "long": "Observer"},
    {"id": 1, "short": "FSS", "long": "Flight Service Station"},
    {"id": 2, "short": "DEL", "long": "Clearance Delivery"},
    {"id": 3, "short": "GND", "long": "Ground"},
    {"id": 4, "short": "TWR", "long": "Tower"},
    {"id": 5, "short": "APP", "long": "Approach/Departure"},
    {"id": 6, "short": "CTR", "long": "Enroute"},
]
RATINGS = [
    {"id": -1, "short": "INAC", "long": "Inactive"},
    {"id": 0, "short": "SUS", "long": "Suspended"},
    {"id": 1, "short": "OBS", "long": "Observer"},
    {"id": 2, "short": "S1", "long": "Tower Trainee"},
    {"id": 3, "short": "S2", "long": "Tower Controller"},
    {"id": 4, "short": "S3", "long": "Senior Student"},
    {"id": 5, "short": "C1", "long": "Enroute Controller"},
    {"id": 6, "short": "C2", "long": "Controller 2 (not in use)"},
    {"id": 7, "short": "C3", "long": "Senior Controller"},
    {"id": 8, "short": "I1", "long": "Instructor"},
    {"id": 9, "short": "I2", "long": "Instructor 2 (not in use)"},
    {"id": 10, "short": "I3", "long": "Senior Instructor"},
    {"id": 11, "short": "SUP", "long": "Supervisor"},
    {"id": 12, "short": "ADM", "long": "Administrator"},
]
PILOT_RATINGS = [
    {"id": 0, "short_name": "NEW", "long_name": "Basic Member"},
    {"id": 1, "short_name": "PPL", "long_name": "Private Pilot License"},
    {"id": 3, "short_name": "IR", "long_name": "Instrument Rating"},
    {"id": 7, "short_name": "CMEL", "long_name": "Commercial Multi-Engine License"},
    {"id": 15, "short_name": "ATPL", "long_name": "Airline Transport Pilot License"},
    {"id": 31, "short_name": "FI", "long_name": "Flight Instructor"},
    {"id": 63, "short_name": "FE", "long_name": "Flight Examiner"},
]
MILITARY_RATINGS = [
    {"id": 0, "short_name": "M0", "long_name": "No Military Rating"},
    {"id": 1, "short_name": "M1", "long_name": "Military Pilot License"},
    {"id": 3, "short_name": "M2", "long_name": "Military Instrument Rating"},
    {"id": 7, "short_name": "M3", "long_name": "Military Multi-Engine Rating"},
    {"id": 15, "short_name": "M4", "long_name": "Military Mission Ready Pilot"},
]


def servers_section() -> list[dict[str, object]]:
    return [
        {
            "ident": server.ident,
            "hostname_or_ip": server.hostname_or_ip,
            "location": server.location,
            "name": server.ident,
            "clients_connection_allowed": 1,
            "client_connections_allowed": True,
            "is_sweatbox": False,
        }
        for server in FEED_SERVERS
    ]


@dataclass(frozen=True, slots=True)
class Tick:
    """One snapshot instant. Positions are evaluated at `epoch`, which is `update_timestamp` exactly."""

    index: int
    epoch: float
    moment: datetime  # update_timestamp as an aware datetime (microseconds, the 7th digit dropped)
    update: str  # "YYYYMMDDHHMMSS"
    update_timestamp: str  # 7 fractional digits + "Z", as the real feed
    second_prefix: str  # "YYYY-MM-DDTHH:MM:SS", shared by the records' last_updated
    fraction: int  # update_timestamp's fraction in units of 100 ns, 5,000,000-9,999,999


def make_tick(window_start: float, index: int, seed: int) -> Tick:
    """The index-th snapshot: 15 s apart, each published half a second to a second after its slot."""
    fraction = 5_000_000 + (index * 2_654_435_761 + seed * 40_503) % 4_999_999
    if fraction % 10 == 0:  # .NET prints 7 digits only when the last one is not zero
        fraction += 1
    whole = window_start + index * SNAPSHOT_INTERVAL_S
    second = utc_from_epoch(float(int(whole)))
    moment = second + timedelta(microseconds=fraction // 10)
    prefix = second.strftime("%Y-%m-%dT%H:%M:%S")
    return Tick(
        index=index,
        epoch=int(whole) + fraction / 1e7,
        moment=moment,
        update=second.strftime("%Y%m%d%H%M%S"),
        update_timestamp=f"{prefix}.{fraction:07d}Z",
        second_prefix=prefix,
        fraction=fraction,
    )


def _last_updated(tick: Tick, key: int, logon: float, logon_time: str) -> str:
    """A moment within the tick's second and before update_timestamp (the client's last report)."""
    if tick.epoch - logon < 1.0:
        return logon_time
    fraction = (key * 2_654_435_761 + tick.index * 97) % tick.fraction
    digits = f"{fraction:07d}".rstrip("0")
    return f"{tick.second_prefix}.{digits}Z" if digits else f"{tick.second_prefix}Z"


def pilot_record(session: PilotSession, connection: Connection, tick: Tick) -> dict[str, object]:
    lat, lon, altitude, speed, heading, on_ground = session.plan.trajectory.state_at(tick.epoch - session.base)
    if on_ground:
        # Parked and taxiing aircraft read field elevation give or take a few tens of feet.
        altitude += (session.cid * 7919 + tick.index * 104_729) % 29 - 9
    return {
        "cid": session.cid,
        "name": session.name,
        "callsign": session.callsign,
        "server": session.server,
        "pilot_rating": session.pilot_rating,
        "military_rating": session.military_rating,
        "latitude": round(lat, 5),
        "longitude": round(lon, 5),
        "altitude": round(altitude),
        "groundspeed": round(speed),
        "transponder": session.transponder,
        "heading": round(heading) % 360,
        "qnh_i_hg": session.qnh_i_hg,
        "qnh_mb": session.qnh_mb,
        "flight_plan": session.flight_plan,
        "logon_time": connection.logon_time,
        "last_updated": _last_updated(tick, session.cid, connection.logon, connection.logon_time),
    }


def prefile_record(session: PilotSession) -> dict[str, object]:
    return {
        "cid": session.cid,
        "name": session.name,
        "callsign": session.callsign,
        "flight_plan": session.flight_plan,
        "last_updated": session.prefile_last_updated,
    }


_atis_text_cache: dict[tuple[str, str, int], list[str]] = {}


def controller_record(connection: ControllerConnection, tick: Tick) -> dict[str, object]:
    record: dict[str, object] = {
        "cid": connection.cid,
        "name": f"Controller {connection.cid}",
        "callsign": connection.callsign,
        "frequency": connection.frequency,
        "facility": connection.facility,
        "rating": connection.rating,
        "server": connection.server,
        "visual_range": connection.visual_range,
    }
    if connection.section == "atis":
        code = connection.atis_code(tick.epoch)
        airport = connection.airport
        assert airport is not None
        key = (connection.callsign, code, int(connection.logon))
        lines = _atis_text_cache.get(key)
        if lines is None:
            if len(_atis_text_cache) > 4096:
                _atis_text_cache.clear()
            runway = round(airport.runway_heading / 10.0) or 36
            seed = zlib.crc32(f"{connection.callsign}/{code}/{int(connection.logon)}".encode())
            lines = _atis_text_cache[key] = atis_lines(airport, code, runway, seed)
        record["atis_code"] = code
        record["text_atis"] = lines
    else:
        record["text_atis"] = connection.text_atis
    record["last_updated"] = _last_updated(
        tick, connection.cid + connection.facility, connection.logon, connection.logon_time
    )
    record["logon_time"] = connection.logon_time
    return record


def general_section(tick: Tick, pilots: list[dict], controllers: list[dict], atis: list[dict]) -> dict[str, object]:
    cids = {p["cid"] for p in pilots}
    cids.update(c["cid"] for c in controllers)
    cids.update(a["cid"] for a in atis)
    return {
        "version": 3,
        "reload": 1,
        "update": tick.update,
        "update_timestamp": tick.update_timestamp,
        "connected_clients": len(pilots) + len(controllers) + len(atis),
        "unique_users": len(cids),
    }


def assemble(
    tick: Tick, pilots: list[dict], controllers: list[dict], atis: list[dict], prefiles: list[dict]
) -> dict[str, object]:
    return {
        "general": general_section(tick, pilots, controllers, atis),
        "pilots": pilots,
        "controllers": controllers,
        "atis": atis,
        "servers": servers_section(),
        "prefiles": prefiles,
        "facilities": FACILITIES,
        "ratings": RATINGS,
        "pilot_ratings": PILOT_RATINGS,
        "military_ratings": MILITARY_RATINGS,
    }
