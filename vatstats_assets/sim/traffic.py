"""Pilot traffic: what each simulated pilot does, one session (connection or reconnect pair) at a time.

The network is modelled as a fixed number of *pilot slots*. A slot is a seat on the network
that is almost always occupied: when one pilot disconnects, after a short gap another pilot
(or the same one, for the next leg) connects. That keeps the number of pilots online close to
the requested figure at any hour, with each slot's history decided by its own random stream,
so the traffic is deterministic whatever order or rate snapshots are asked for.

`planning.py` decides a session in session-relative seconds (t = 0 at logon); a slot then
*places* it at an absolute POSIX time with a pilot identity, which is what lets the first
session of a slot begin before the simulated window (pilots already airborne at the start).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from string import ascii_uppercase

from vatstats_assets.sim.flightplan import make_flight_plan
from vatstats_assets.sim.planning import PilotPlanner, PlannedFlight
from vatstats_assets.sim.timefmt import feed_timestamp, utc_from_epoch
from vatstats_assets.sim.trajectory import Trajectory
from vatstats_assets.sim.world import AIRLINES_BY_AREA, FEED_SERVERS, REGISTRATION_PREFIX_BY_AREA

SAME_PILOT_NEXT_LEG_SHARE = 0.35  # the next session in a slot is the same pilot flying on
PREFILE_MAX_LEAD_S = 2 * 3600.0  # a flight plan shows in `prefiles` up to 2 hours before logon
PILOT_CID_BASE = 1_100_000


@dataclass(slots=True)
class Connection:
    """One network connection: what the feed keys a pilot on, together with cid and callsign."""

    logon: float  # POSIX seconds
    logoff: float
    logon_datetime: datetime
    logon_time: str  # exactly as the feed prints it


class PilotSession:
    """A placed session: identity, flight plan, connections and the trajectory behind them."""

    __slots__ = (
        "cid", "callsign", "name", "server", "pilot_rating", "military_rating", "transponder",
        "qnh_i_hg", "qnh_mb", "flight_plan", "plan", "base", "connections", "movements",
        "prefile_from", "prefile_last_updated", "next_movement", "end", "aircraft_type",
        "filed_departure", "filed_arrival",
    )

    def __init__(
        self,
        plan: PlannedFlight,
        *,
        base: float,
        cid: int,
        callsign: str,
        registration: str,
        server: str,
        pilot_rating: int,
        military_rating: int,
        qnh_i_hg: float,
    ) -> None:
        self.plan = plan
        self.base = base
        self.cid = cid
        self.callsign = callsign
        self.name = f"Pilot {cid}"
        self.server = server
        self.pilot_rating = pilot_rating
        self.military_rating = military_rating
        self.qnh_i_hg = qnh_i_hg
        self.qnh_mb = round(qnh_i_hg * 33.8639)
        self.end = base + plan.end
        self.flight_plan: dict[str, object] | None = None
        if plan.plan_details is not None:
            self.flight_plan = make_flight_plan(
                random.Random(plan.flight_plan_seed),
                off_block_epoch=base + plan.off_block,
                registration=registration,
                operator=plan.operator,
                **plan.plan_details,  # type: ignore[arg-type]
            )
        assigned = self.flight_plan["assigned_transponder"] if self.flight_plan else "0000"
        if assigned != "0000":
            self.transponder = str(assigned)
        elif plan.rules == "V" or self.flight_plan is None:
            self.transponder = "1200" if plan.origin.area in ("AU", "NZ", "NA") else "7000"
        else:
            self.transponder = "2000"
        self.aircraft_type = plan.aircraft.icao if self.flight_plan else None
        self.filed_departure = plan.origin.icao if self.flight_plan else None
        self.filed_arrival = plan.filed_arrival if self.flight_plan else None
        self.connections = self._connections()
        # Movements in absolute time; none fall inside a reconnect gap by construction.
        movements = [(base + t, "departure", icao) for t, icao in plan.timeline.departures]
        movements += [(base + t, "arrival", icao) for t, icao in plan.timeline.arrivals]
        self.movements = sorted(m for m in movements if m[0] <= self.end)
        self.next_movement = 0
        self.prefile_from: float | None = None
        self.prefile_last_updated = ""
        if plan.prefile_lead is not None and self.flight_plan is not None:
            self.prefile_from = base - plan.prefile_lead
            self.prefile_last_updated = feed_timestamp(utc_from_epoch(self.prefile_from))

    def _connections(self) -> list[Connection]:
        spans: list[tuple[float, float]] = []
        start = 0.0
        for gap_from, gap_to in self.plan.gaps:
            spans.append((start, gap_from))
            start = gap_to
        spans.append((start, self.plan.end))
        connections = []
        for logon, logoff in spans:
            moment = utc_from_epoch(self.base + logon)
            connections.append(Connection(self.base + logon, self.base + logoff, moment, feed_timestamp(moment)))
        return connections

    def connection_at(self, t: float) -> Connection | None:
        for connection in self.connections:
            if connection.logon <= t < connection.logoff:
                return connection
        return None

    @property
    def trajectory(self) -> Trajectory:
        return self.plan.trajectory

    def completion(self) -> tuple[float, str, float, str] | None:
        """(takeoff, departure, landing, arrival) in absolute time when the session ends after a final landing."""
        timeline = self.plan.timeline
        if not self.plan.completed or not timeline.arrivals:
            return None
        takeoff, departure = timeline.departures[0]
        landing, arrival = timeline.arrivals[-1]
        return self.base + takeoff, departure, self.base + landing, arrival


# ----- slots ----------------------------------------------------------------------------------------


def _letters(number: int, width: int) -> str:
    text = ""
    for _ in range(width):
        number, digit = divmod(number, 26)
        text = ascii_uppercase[digit] + text
    return text


def airline_callsign(operator: str, slot: int, slots: int, leg: int) -> str:
    """Unique among concurrently online pilots: the number encodes the slot (flight number - 1 = slot mod slots)."""
    if slots <= 9999:
        legs = 9999 // slots
        return f"{operator}{1 + slot + slots * (leg % legs)}"
    suffix = "" if slot < 9999 else ascii_uppercase[(slot // 9999 - 1) % 26]
    return f"{operator}{1 + slot % 9999}{suffix}"


def registration_callsign(area: str, slot: int) -> str:
    """A private registration for light aircraft, unique per slot ('VHABC', 'GABCD', 'N123AB')."""
    prefix = REGISTRATION_PREFIX_BY_AREA.get(area, "VH")
    if prefix == "N":
        return f"N{100 + slot % 900}{_letters(slot // 900, 2)}"
    width = 4 if len(prefix) == 1 else 3
    return prefix + _letters(slot, width + (1 if slot >= 26**width else 0))


class PilotSlot:
    """One seat on the network: a sequence of sessions, decided lazily by its own random stream.

    The slot knows the session after the current one (`upcoming`) from PREFILE_MAX_LEAD_S before
    the current one ends, so that a pilot who files a flight plan well before connecting shows in
    `prefiles` meanwhile. Planning it only then keeps start-up cheap; the slot's random stream is
    drawn in the same order either way, so the traffic does not depend on when it is planned.
    """

    __slots__ = ("index", "slots", "rng", "planner", "previous", "current", "upcoming", "_leg", "_people", "_cid")

    def __init__(self, index: int, slots: int, seed: int, planner: PilotPlanner, window_start: float) -> None:
        self.index = index
        self.slots = slots
        self.rng = random.Random(f"{seed}/pilot/{index}")
        self.planner = planner
        self._leg = 0
        self._people = 0
        self._cid = self._new_cid()
        plan = planner.plan(self.rng, max_prefile_lead=PREFILE_MAX_LEAD_S)
        gap = self._gap(same_pilot=False)
        # Start somewhere inside the first cycle, so some pilots are mid-flight when the window opens.
        base = window_start - self.rng.random() * (plan.end + gap)
        self.previous: PilotSession | None = None
        self.current = self._place(plan, base)
        self.upcoming: PilotSession | None = None
        self.advance(window_start)

    def _new_cid(self) -> int:
        cid = PILOT_CID_BASE + self.index + self.slots * self._people
        self._people += 1
        return cid

    def _gap(self, *, same_pilot: bool) -> float:
        # The same pilot turning around takes longer than a seat changing hands; both stay above a
        # 5-minute reconnect window so consecutive sessions are never mistaken for a reconnect.
        return self.rng.uniform(8 * 60, 40 * 60) if same_pilot else self.rng.uniform(6 * 60, 25 * 60)

    def _place(self, plan: PlannedFlight, base: float) -> PilotSession:
        rng = self.rng
        area = plan.origin.area
        if plan.kind == "airline":
            home_area = area if rng.random() < 0.8 else rng.choice(tuple(AIRLINES_BY_AREA))
            plan.operator = rng.choice(AIRLINES_BY_AREA[home_area])
            callsign = airline_callsign(plan.operator, self.index, self.slots, self._leg)
            registration = plan.operator[:2] + _letters(self.index, 3)
        elif plan.kind == "parked" and rng.random() < 0.6:
            plan.operator = rng.choice(AIRLINES_BY_AREA[area])
            callsign = airline_callsign(plan.operator, self.index, self.slots, self._leg)
            registration = plan.operator[:2] + _letters(self.index, 3)
        else:
            callsign = registration = registration_callsign(area, self.index)
        self._leg += 1
        servers = [s.ident for s in FEED_SERVERS if area in s.areas] or [FEED_SERVERS[0].ident]
        rating_roll = rng.random()
        pilot_rating = 0 if rating_roll < 0.88 else rng.choice((1, 1, 3, 3, 7, 7, 15, 31, 63))
        return PilotSession(
            plan,
            base=round(base, 3) if rng.random() < 0.85 else float(int(base)),
            cid=self._cid,
            callsign=callsign,
            registration=registration,
            server=rng.choice(servers),
            pilot_rating=pilot_rating,
            military_rating=0 if rng.random() < 0.995 else rng.choice((1, 3, 7, 15)),
            qnh_i_hg=round(rng.uniform(29.62, 30.42), 2),
        )

    def _plan_next(self, session: PilotSession) -> PilotSession:
        last_airport = session.plan.timeline.last_airport
        same_pilot = self.rng.random() < SAME_PILOT_NEXT_LEG_SHARE and last_airport is not None
        if not same_pilot:
            self._cid = self._new_cid()
        gap = self._gap(same_pilot=same_pilot)
        origin = self.planner.world.airline_airport(str(last_airport)) if same_pilot else None
        # Someone else may file while this seat's previous pilot is still flying; the same
        # pilot files only once parked, so one cid never shows in both lists at once.
        lead = gap - 60 if same_pilot else PREFILE_MAX_LEAD_S
        plan = self.planner.plan(self.rng, origin=origin, max_prefile_lead=lead)
        return self._place(plan, session.end + gap)

    def advance(self, t: float) -> list[PilotSession]:
        """Move to the session in progress (or next) at time t; return the sessions that ended on the way."""
        finished: list[PilotSession] = []
        while True:
            if self.upcoming is None and t >= self.current.end - PREFILE_MAX_LEAD_S:
                self.upcoming = self._plan_next(self.current)
            if self.current.end > t or self.upcoming is None:
                return finished
            finished.append(self.current)
            self.previous = self.current
            self.current = self.upcoming
            self.upcoming = None
