"""Controllers, observers and ATIS stations logging on and off over the day.

Like pilots, controllers are modelled as slots, but each ATC slot staffs one fixed position
(callsign), so two controllers never hold the same callsign at once. Observer slots use
'<cid>_OBS'. A tower session often brings an ATIS station with it. Sometimes a controller
drops off and reconnects on the same callsign within five minutes (a new logon_time), which
is exactly the case session merging has to handle.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from vatstats_assets.sim.stations import CENTRE_HOMES, Home, Site, draw_sites, frequency_text, station_frequency_khz
from vatstats_assets.sim.timefmt import feed_timestamp, utc_from_epoch
from vatstats_assets.sim.world import FEED_SERVERS, SimAirport, World

OBSERVER, FSS, DELIVERY, GROUND, TOWER, APPROACH, CENTRE = range(7)  # the feed's facility ids

CONTROLLER_CID_BASE = 1_000_001
QUICK_RECONNECT_SHARE = 0.12  # the next session on a position starts within 5 minutes
TOWER_ATIS_SHARE = 0.6

_VISUAL_RANGE = {OBSERVER: 300, FSS: 1500, DELIVERY: 20, GROUND: 20, TOWER: 50, APPROACH: 150, CENTRE: 600}
_RATINGS = {
    OBSERVER: (1, 1, 1, 1, 2, 3, 5, 10),
    FSS: (5, 7, 8),
    DELIVERY: (2, 2, 3, 4),
    GROUND: (2, 2, 3, 4, 5),
    TOWER: (3, 3, 4, 5, 7),
    APPROACH: (4, 4, 5, 7, 8),
    CENTRE: (5, 5, 7, 8, 10),
}
# Channels (first kHz, number of 25 kHz steps) each facility type picks its frequency from.
_BANDS = {
    FSS: (122000, 100), DELIVERY: (120000, 80), GROUND: (121600, 16), TOWER: (118000, 120),
    APPROACH: (119000, 600), CENTRE: (118000, 760),
}
_CENTRE_CALLSIGNS = (
    "ML-SNO_CTR", "ML-ELW_CTR", "ML-ASP_CTR", "ML-TBD_CTR", "ML-HUO_CTR", "ML-BIK_CTR", "BN-ISA_CTR",
    "BN-KEN_CTR", "BN-TRT_CTR", "BN-INL_CTR", "NZZC_CTR", "NZCM_CTR", "NFFF_CTR", "AYPM_CTR",
    "EGTT_CTR", "LON_S_CTR", "LON_C_CTR", "EDGG_CTR", "EDMM_CTR", "EHAA_CTR", "LFFF_CTR", "LECM_CTR",
    "LIRR_CTR", "LSAS_CTR", "LOVV_CTR", "EKDK_CTR", "EISN_CTR", "OMAE_CTR", "VHHK_CTR", "WSJC_CTR",
    "VTBB_CTR", "NY_CTR", "BOS_CTR", "LAX_CTR", "OAK_CTR", "CHI_CTR", "ATL_CTR", "FTW_CTR",
    "DEN_CTR", "SEA_CTR", "MIA_CTR", "TOR_CTR", "VAN_CTR", "HCF_CTR",
)
_FSS_CALLSIGNS = ("NZZO_FSS", "BN-TSN_FSS", "EGGX_FSS", "CZQX_FSS", "KZAK_FSS", "ML-IND_FSS")
_INFO_LINES = (
    "Charts and procedures at vatpac.org",
    "Feedback welcome - vats.im/feedback",
    "Pre-departure clearance available via Hoppie",
    "Expect vectors for the ILS",
    "Training in progress - please be patient",
)


@dataclass(frozen=True, slots=True)
class Position:
    callsign: str
    facility: int
    frequency: str  # "118.700"
    airport: SimAirport | None  # where an ATIS is attached (towers only)
    area: str
    home: Home  # where its responsibility is measured from (sim/stations.py)


def _frequency(callsign: str, facility: int, home: Home | None = None) -> str:
    return frequency_text(station_frequency_khz(callsign, _BANDS[facility], home))


def _airport_home(airport: SimAirport) -> Home:
    return airport.latitude, airport.longitude, float(airport.elevation_ft)


def _centre_home(callsign: str) -> Home:
    latitude, longitude = CENTRE_HOMES[callsign]
    return latitude, longitude, 0.0


def _khz(frequency: str) -> int:
    megahertz, _, fraction = frequency.partition(".")
    return int(megahertz) * 1000 + int(fraction.ljust(3, "0"))


def _prefix(airport: SimAirport) -> str:
    # The callsign prefixes real controllers use: 'SY_TWR' in Australia, 'JFK_TWR' in the US.
    if airport.area == "AU":
        return airport.icao[2:]
    if airport.icao.startswith("K") and airport.area == "NA":
        return airport.icao[1:]
    return airport.icao


def position_catalogue(world: World) -> list[Position]:
    """Every staffable position, busiest first; variants ('SY_1_TWR') extend it for large simulations."""
    airports = sorted(world.airline_airports, key=lambda a: (-a.weight, a.icao))
    by_kind: list[list[Position]] = [[], [], [], []]
    for airport in airports:
        prefix = _prefix(airport)
        kinds = (("TWR", TOWER), ("APP", APPROACH), ("GND", GROUND), ("DEL", DELIVERY))
        for rank, (suffix, facility) in enumerate(kinds):
            callsign = f"{prefix}_{suffix}"
            home = _airport_home(airport)
            by_kind[rank].append(Position(callsign, facility, _frequency(callsign, facility, home),
                                          airport if facility == TOWER else None, airport.area, home))
    centres = [Position(c, CENTRE, _frequency(c, CENTRE, _centre_home(c)), None,
                        "AU" if c[:2] in ("ML", "BN") else "EU", _centre_home(c))
               for c in _CENTRE_CALLSIGNS]
    services = [Position(c, FSS, _frequency(c, FSS, _centre_home(c)), None, "NZ", _centre_home(c))
                for c in _FSS_CALLSIGNS]
    # Interleave so that a small simulation still gets a mix of towers, approaches and centres.
    catalogue: list[Position] = []
    queues = [by_kind[0], centres, by_kind[1], by_kind[2], by_kind[3], services]
    while any(queues):
        for queue in queues:
            if queue:
                catalogue.append(queue.pop(0))
    return catalogue


def position_for_slot(catalogue: list[Position], atc_index: int) -> Position:
    base = catalogue[atc_index % len(catalogue)]
    variant = atc_index // len(catalogue)
    if variant == 0:
        return base
    prefix, suffix = base.callsign.rsplit("_", 1)
    callsign = f"{prefix}_{variant}_{suffix}"
    return Position(callsign, base.facility, _frequency(callsign, base.facility, base.home), None, base.area,
                    base.home)


@dataclass(slots=True)
class ControllerConnection:
    """One controller, observer or ATIS connection, placed in absolute time."""

    section: str  # "controllers" or "atis"
    cid: int
    callsign: str
    facility: int
    rating: int
    frequency: str
    server: str
    visual_range: int
    logon: float
    logoff: float
    logon_datetime: datetime
    logon_time: str
    text_atis: list[str] | None
    airport: SimAirport | None  # ATIS only: whose weather it reads
    atis_letter: int  # ATIS only: the letter at logon (0 = A)
    home: Home | None = None  # None for observers
    sites: tuple[Site, ...] = ()  # its transceivers (none for observers)

    def atis_code(self, t: float) -> str:
        # A new information letter every 30 minutes, as METARs are issued.
        return chr(65 + (self.atis_letter + int((t - self.logon) // 1800)) % 26)


def atis_lines(airport: SimAirport, code: str, runway: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    wind = rng.randrange(0, 360, 10)
    return [
        f"{airport.icao} INFORMATION {code}",
        f"RWY {runway:02d} FOR ARR AND DEP",
        f"WIND {wind:03d}/{rng.randint(3, 22)}KT VIS GREATER THAN 10KM",
        f"CLOUD FEW{rng.randint(15, 45):03d} TMP {rng.randint(4, 31)} QNH {rng.randint(998, 1031)}",
        f"ACKNOWLEDGE RECEIPT OF INFORMATION {code} AND ADVISE AIRCRAFT TYPE ON FIRST CONTACT",
    ]


class ControllerSlot:
    """One position (or one observer seat) and the sequence of people connecting to it."""

    __slots__ = ("index", "slots", "rng", "position", "observer", "active", "_people", "_cid", "_next_logon", "_rating")

    def __init__(self, index: int, slots: int, seed: int, position: Position | None, window_start: float) -> None:
        self.index = index
        self.slots = slots
        self.rng = random.Random(f"{seed}/controller/{index}")
        self.position = position
        self.observer = position is None
        self._people = 0
        self._cid = self._new_cid()
        self._rating = self._pick_rating()
        session, gap = self._durations()
        # Start inside the first on/off cycle so that some controllers are online at the start.
        self._next_logon = window_start - self.rng.random() * (session + gap)
        self.active: list[ControllerConnection] = []
        self._open(session)

    def _new_cid(self) -> int:
        cid = CONTROLLER_CID_BASE + self.index + self.slots * self._people
        self._people += 1
        return cid

    def _pick_rating(self) -> int:
        facility = OBSERVER if self.position is None else self.position.facility
        return self.rng.choice(_RATINGS[facility])

    def _durations(self) -> tuple[float, float]:
        if self.observer:
            return self.rng.uniform(10 * 60, 3 * 3600), self.rng.uniform(20 * 60, 3 * 3600)
        return self.rng.uniform(45 * 60, 4 * 3600), self.rng.uniform(30 * 60, 4 * 3600)

    def _open(self, duration: float) -> None:
        rng = self.rng
        logon = round(self._next_logon, 3)
        logoff = logon + duration
        position = self.position
        if position is None:
            callsign, facility, frequency = f"{self._cid}_OBS", OBSERVER, "199.998"
            area = rng.choice(("AU", "EU", "NA"))
            text = None if rng.random() < 0.9 else ["Just watching - say hi!"]
        else:
            callsign, facility, frequency = position.callsign, position.facility, position.frequency
            area = position.area
            text = None
            if rng.random() < 0.35:
                until = f"{callsign.replace('_', ' ')} online until {utc_from_epoch(logoff):%H%M}z"
                text = [until, rng.choice(_INFO_LINES)]
        servers = [s.ident for s in FEED_SERVERS if area in s.areas] or [FEED_SERVERS[0].ident]
        server = rng.choice(servers)
        moment = utc_from_epoch(logon)
        self.active = [
            ControllerConnection(
                "controllers", self._cid, callsign, facility, self._rating, frequency, server,
                _VISUAL_RANGE[facility] if rng.random() < 0.9 else rng.choice((40, 100, 300)),
                logon, logoff, moment, feed_timestamp(moment), text, None, 0,
            )
        ]
        if position is not None:
            controller = self.active[0]
            controller.home = position.home
            controller.sites = draw_sites(callsign, self._cid, logon, facility, _khz(frequency), position.home,
                                          atis=False)
        if position is not None and position.airport is not None and rng.random() < TOWER_ATIS_SHARE:
            atis_logon = round(logon + rng.uniform(30, 240), 3)
            atis_logoff = logoff - rng.uniform(10, 120)
            atis_moment = utc_from_epoch(atis_logon)
            atis_callsign = f"{position.airport.icao}_ATIS"
            self.active.append(
                ControllerConnection(
                    "atis", self._cid, atis_callsign, TOWER, self._rating, _frequency(atis_callsign, APPROACH),
                    server, 0, atis_logon, atis_logoff, atis_moment, feed_timestamp(atis_moment), None,
                    position.airport, rng.randrange(26),
                )
            )
            atis = self.active[-1]
            atis.home = _airport_home(position.airport)
            atis.sites = draw_sites(atis_callsign, self._cid, atis_logon, TOWER, _khz(atis.frequency), atis.home,
                                    atis=True)

    def advance(self, t: float) -> list[ControllerConnection]:
        """Open the next session when the current one has ended; return the connections that ended by t."""
        finished: list[ControllerConnection] = []
        while True:
            ended = [c for c in self.active if c.logoff <= t]
            if not ended:
                return finished
            finished.extend(ended)
            self.active = [c for c in self.active if c.logoff > t]
            if self.active:
                return finished
            rng = self.rng
            session, gap = self._durations()
            if rng.random() < QUICK_RECONNECT_SHARE:
                gap = rng.uniform(20, 280)  # same person, same callsign, back within 5 minutes
            elif rng.random() < 0.7:
                self._cid = self._new_cid()
                self._rating = self._pick_rating()
            self._next_logon = max(c.logoff for c in ended) + gap
            self._open(session)
