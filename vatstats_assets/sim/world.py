"""The simulated world: which real airports see traffic, who flies there and with what.

Coordinates and elevations come from the maintained `airportsdata` package; this module only
adds what that package lacks (a main runway heading, a traffic weight, an area) for a curated
list of busy airports, about a third of them in the VATPAC region (Australia and the Pacific).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import airportsdata

from vatstats_assets.sim.sphere import distance_nm

VATPAC_AREAS = frozenset({"AU", "NZ", "PAC"})


@dataclass(frozen=True, slots=True)
class SimAirport:
    icao: str
    latitude: float
    longitude: float
    elevation_ft: int
    runway_heading: float  # true heading of one end of the main runway; the other end is +180
    area: str  # AU, NZ, PAC, EU, NA, ASIA, ME, SA, AF
    weight: float  # relative share of departures

    @property
    def in_vatpac(self) -> bool:
        return self.area in VATPAC_AREAS


# (icao, main runway heading, area, traffic weight). Headings are close to the real main runway.
_AIRLINE_AIRPORTS: tuple[tuple[str, float, str, float], ...] = (
    # VATPAC
    ("YSSY", 164, "AU", 10), ("YMML", 164, "AU", 9), ("YBBN", 14, "AU", 8), ("YPPH", 34, "AU", 5),
    ("YPAD", 53, "AU", 4), ("YSCB", 173, "AU", 3), ("YBCG", 143, "AU", 3), ("YBCS", 153, "AU", 3),
    ("YPDN", 113, "AU", 2), ("YBTL", 14, "AU", 1), ("YMHB", 120, "AU", 2), ("YMLT", 143, "AU", 1),
    ("YBAS", 120, "AU", 1), ("YAYE", 130, "AU", 1), ("YBMK", 140, "AU", 1), ("YBRM", 100, "AU", 1),
    ("NZAA", 54, "NZ", 5), ("NZWN", 160, "NZ", 3), ("NZCH", 20, "NZ", 3), ("NZQN", 50, "NZ", 2),
    ("NZDN", 30, "NZ", 1), ("NFFN", 20, "PAC", 2), ("AYPY", 140, "PAC", 1), ("NWWW", 110, "PAC", 1),
    # the rest of the world
    ("EGLL", 270, "EU", 8), ("EGKK", 257, "EU", 4), ("EGCC", 235, "EU", 3), ("EHAM", 184, "EU", 5),
    ("EDDF", 249, "EU", 6), ("EDDM", 263, "EU", 4), ("LFPG", 265, "EU", 5), ("LEMD", 326, "EU", 3),
    ("LEBL", 245, "EU", 3), ("LIRF", 164, "EU", 3), ("LSZH", 137, "EU", 2), ("LOWW", 293, "EU", 2),
    ("EKCH", 223, "EU", 2), ("ESSA", 187, "EU", 2), ("EIDW", 280, "EU", 3), ("LTFM", 354, "EU", 3),
    ("OMDB", 300, "ME", 4), ("OTHH", 336, "ME", 3), ("VHHH", 73, "ASIA", 3), ("RJTT", 337, "ASIA", 3),
    ("RKSI", 332, "ASIA", 2), ("WSSS", 23, "ASIA", 4), ("VTBS", 194, "ASIA", 2), ("WMKK", 325, "ASIA", 2),
    ("WIII", 250, "ASIA", 2), ("RPLL", 240, "ASIA", 1), ("KJFK", 314, "NA", 6), ("KLAX", 249, "NA", 5),
    ("KSFO", 284, "NA", 4), ("KORD", 270, "NA", 4), ("KATL", 270, "NA", 5), ("KDFW", 175, "NA", 3),
    ("KDEN", 353, "NA", 3), ("KSEA", 163, "NA", 3), ("KBOS", 333, "NA", 3), ("KMIA", 90, "NA", 3),
    ("CYYZ", 237, "NA", 3), ("CYVR", 265, "NA", 2), ("SBGR", 94, "SA", 2), ("FAOR", 33, "AF", 1),
    ("PHNL", 80, "NA", 1),
)

# General-aviation fields where VFR circuits and short hops happen.
_GA_AIRPORTS: tuple[tuple[str, float, str, float], ...] = (
    ("YSBK", 110, "AU", 3), ("YMMB", 170, "AU", 3), ("YBAF", 100, "AU", 2), ("YPJT", 60, "AU", 2),
    ("YSCN", 60, "AU", 1), ("NZAR", 30, "NZ", 2), ("EGKB", 210, "EU", 2), ("KPAO", 310, "NA", 2),
    ("KVNY", 160, "NA", 2), ("EDFE", 260, "EU", 1),
)

AIRLINES_BY_AREA: dict[str, tuple[str, ...]] = {
    "AU": ("QFA", "VOZ", "JST", "RXA", "QLK"),
    "NZ": ("ANZ", "JST", "ANZ"),
    "PAC": ("FJI", "ANG", "ACI"),
    "EU": ("BAW", "EZY", "RYR", "DLH", "AFR", "KLM", "SWR", "AUA", "SAS", "EIN", "THY", "IBE", "VLG", "EWG"),
    "NA": ("AAL", "DAL", "UAL", "SWA", "JBU", "ACA", "WJA", "ASA", "FDX", "UPS"),
    "ASIA": ("SIA", "CPA", "JAL", "ANA", "KAL", "THA", "MAS", "GIA", "PAL"),
    "ME": ("UAE", "QTR", "ETD"),
    "SA": ("TAM", "GLO"),
    "AF": ("SAA",),
}

# Registration prefixes for general aviation, by area (callsign = prefix + letters).
REGISTRATION_PREFIX_BY_AREA: dict[str, str] = {
    "AU": "VH", "NZ": "ZK", "PAC": "DQ", "EU": "G", "NA": "N", "ASIA": "9V", "ME": "A6", "SA": "PR", "AF": "ZS",
}


@dataclass(frozen=True, slots=True)
class AircraftType:
    icao: str
    wake: str  # L, M, H, J as in the ICAO flight-plan aircraft field
    performance: str  # "jet", "turboprop" or "piston": picks the flight profile
    equipment: str  # ICAO equipment/surveillance suffix, as pilots file it
    cruise_tas: tuple[int, int]  # kt
    max_range_nm: int


AIRCRAFT_TYPES: tuple[AircraftType, ...] = (
    AircraftType("B738", "M", "jet", "SDE3FGHIRWY/LB1", (440, 460), 3000),
    AircraftType("B38M", "M", "jet", "SDE2E3FGHIJ1RWXY/LB1", (440, 455), 3300),
    AircraftType("A320", "M", "jet", "SDE3FGHIRWY/LB1", (440, 455), 3000),
    AircraftType("A20N", "M", "jet", "SDE3FGHIJ1RWXY/LB1", (440, 455), 3400),
    AircraftType("A21N", "M", "jet", "SDE3FGHIJ1RWXY/LB1", (440, 460), 3700),
    AircraftType("A319", "M", "jet", "SDE2E3FGHIRWY/LB1", (430, 450), 3000),
    AircraftType("B739", "M", "jet", "SDE3FGHIRWY/LB1", (440, 460), 2900),
    AircraftType("E190", "M", "jet", "SDE3FGHIJ1RWY/LB1", (420, 440), 2000),
    AircraftType("B789", "H", "jet", "SDE2E3FGHIJ2J3J4J5M1RWXY/LB1D1", (485, 505), 7600),
    AircraftType("B788", "H", "jet", "SDE2E3FGHIJ2J3J4J5M1RWXY/LB1D1", (480, 500), 7300),
    AircraftType("B77W", "H", "jet", "SDE2E3FGHIJ2J3J4J5M1RWXY/LB1D1", (480, 500), 7300),
    AircraftType("A359", "H", "jet", "SDE2E3GHIJ1J3J4J5LM1ORWXY/LB1D1", (480, 500), 8000),
    AircraftType("A333", "H", "jet", "SDE2E3FGHIJ2J3J4J5M1RWXY/LB1D1", (460, 480), 6000),
    AircraftType("A388", "J", "jet", "SADE2E3FGHIJ3J4J5M1RWXY/LB2D1", (480, 500), 8000),
    AircraftType("B748", "H", "jet", "SDE2E3FGHIJ2J3J4J5M1RWXY/LB1D1", (490, 505), 7700),
    AircraftType("DH8D", "M", "turboprop", "SDE2E3FGHIRWY/C", (280, 300), 1100),
    AircraftType("AT76", "M", "turboprop", "SDE3FGHIRWY/C", (260, 280), 800),
    AircraftType("C172", "L", "piston", "VGDW/C", (105, 120), 500),
    AircraftType("PA28", "L", "piston", "VGDW/C", (110, 125), 500),
    AircraftType("SR22", "L", "piston", "SBDFGRY/C", (150, 175), 900),
    AircraftType("DA40", "L", "piston", "SDFGRY/C", (120, 135), 700),
    AircraftType("C152", "L", "piston", "VGD/C", (90, 100), 350),
)

AIRLINE_SHORT_HAUL = tuple(t for t in AIRCRAFT_TYPES if t.performance == "jet" and t.wake == "M")
AIRLINE_LONG_HAUL = tuple(t for t in AIRCRAFT_TYPES if t.performance == "jet" and t.wake in "HJ")
REGIONAL_TURBOPROPS = tuple(t for t in AIRCRAFT_TYPES if t.performance == "turboprop")
LIGHT_AIRCRAFT = tuple(t for t in AIRCRAFT_TYPES if t.performance == "piston")


@dataclass(frozen=True, slots=True)
class FeedServer:
    ident: str
    hostname_or_ip: str  # documentation addresses (RFC 5737): the simulator never names a real host
    location: str
    areas: tuple[str, ...]  # where its pilots mostly come from


FEED_SERVERS: tuple[FeedServer, ...] = (
    FeedServer("AUSTRALIA", "203.0.113.10", "Sydney, Australia", ("AU", "NZ", "PAC")),
    FeedServer("SINGAPORE", "203.0.113.20", "Singapore", ("ASIA", "ME", "AF")),
    FeedServer("UK", "198.51.100.10", "London, UK", ("EU",)),
    FeedServer("GERMANY2", "198.51.100.20", "Frankfurt, Germany", ("EU", "AF", "ME")),
    FeedServer("AMSTERDAM", "198.51.100.30", "Amsterdam, Netherlands", ("EU",)),
    FeedServer("USA-EAST", "192.0.2.10", "New York, USA", ("NA", "SA")),
    FeedServer("USA-WEST", "192.0.2.20", "San Francisco, USA", ("NA", "PAC")),
    FeedServer("CANADA", "192.0.2.30", "Toronto, Canada", ("NA",)),
)


@lru_cache(maxsize=1)
def _airportsdata() -> dict[str, Any]:
    return airportsdata.load("ICAO")


def _resolve(table: tuple[tuple[str, float, str, float], ...]) -> tuple[SimAirport, ...]:
    known = _airportsdata()
    airports = []
    for icao, heading, area, weight in table:
        record = known.get(icao)
        if record is None:  # a future airportsdata release could rename one; skip rather than fail
            continue
        airports.append(
            SimAirport(
                icao=icao,
                latitude=float(record["lat"]),
                longitude=float(record["lon"]),
                elevation_ft=round(float(record["elevation"])),
                runway_heading=float(heading),
                area=area,
                weight=float(weight),
            )
        )
    return tuple(airports)


class World:
    """Everything static the traffic model draws from; built once per process."""

    def __init__(self, airline_airports: tuple[SimAirport, ...], ga_airports: tuple[SimAirport, ...]) -> None:
        self.airline_airports = airline_airports
        self.ga_airports = ga_airports
        self._by_icao = {a.icao: a for a in airline_airports + ga_airports}
        self._airline_codes = frozenset(a.icao for a in airline_airports)

    def airport(self, icao: str) -> SimAirport | None:
        return self._by_icao.get(icao)

    def airline_airport(self, icao: str) -> SimAirport | None:
        """The airport if it sees scheduled traffic (so a next leg can depart from it)."""
        return self._by_icao.get(icao) if icao in self._airline_codes else None


@lru_cache(maxsize=1)
def default_world() -> World:
    return World(airline_airports=_resolve(_AIRLINE_AIRPORTS), ga_airports=_resolve(_GA_AIRPORTS))


@lru_cache(maxsize=1)
def _airports_with_iata() -> tuple[tuple[str, float, float, int], ...]:
    """(icao, lat, lon, elevation) of airports with an IATA code: the ones airlines can divert to."""
    return tuple(
        (code, float(r["lat"]), float(r["lon"]), round(float(r["elevation"])))
        for code, r in _airportsdata().items()
        if r.get("iata")
    )


@lru_cache(maxsize=256)
def diversion_airports(icao: str) -> tuple[SimAirport, ...]:
    """Real airports with an IATA code 25-200 nm from `icao`, nearest first: where a diversion lands."""
    origin = _airportsdata()[icao]
    lat0, lon0 = float(origin["lat"]), float(origin["lon"])
    # A cheap box before the exact distance: 200 nm is 3.33 degrees of latitude.
    dlat = 3.4
    dlon = min(180.0, 3.4 / max(0.05, math.cos(math.radians(lat0))))
    found: list[tuple[float, str, float, float, int]] = []
    for code, lat, lon, elevation in _airports_with_iata():
        if code == icao or abs(lat - lat0) > dlat or abs((lon - lon0 + 540.0) % 360.0 - 180.0) > dlon:
            continue
        dist = distance_nm(lat0, lon0, lat, lon)
        if 25.0 <= dist <= 200.0:
            found.append((dist, code, lat, lon, elevation))
    found.sort()
    area = next((a.area for a in default_world().airline_airports if a.icao == icao), "EU")
    return tuple(
        SimAirport(
            icao=code,
            latitude=lat,
            longitude=lon,
            elevation_ft=elevation,
            # No runway data in airportsdata: a stable pseudo-heading from the code is good enough.
            runway_heading=float(sum(code.encode()) * 37 % 36 * 10),
            area=area,
            weight=1.0,
        )
        for _, code, lat, lon, elevation in found[:6]
    )
