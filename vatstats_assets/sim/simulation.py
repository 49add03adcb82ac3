"""The simulated network: pilot and controller slots, the snapshot clock, and ground truth emission.

`Simulation.snapshot(tick)` is a pure function of the slots' plans at that instant, so the same
seed and arguments give byte-identical snapshots whether they are generated back to back
offline or on demand by the HTTP server. Snapshots up to five minutes older than the newest
one can be rebuilt (the `older` fault mode needs that).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from vatstats_assets.core.airspace import Airspace
from vatstats_assets.sim.contact_truth import session_contacts
from vatstats_assets.sim.controllers import ControllerConnection, ControllerSlot, position_catalogue, position_for_slot
from vatstats_assets.sim.planning import PilotPlanner
from vatstats_assets.sim.radio import PilotRadio, Stations, pilot_radio, stack_points, station_table, tune
from vatstats_assets.sim.sector_truth import SectorTruth
from vatstats_assets.sim.snapshot import (
    SNAPSHOT_INTERVAL_S,
    Tick,
    assemble,
    controller_record,
    make_tick,
    pilot_record,
    prefile_record,
)
from vatstats_assets.sim.timefmt import utc_from_epoch
from vatstats_assets.sim.traffic import Connection, PilotSession, PilotSlot
from vatstats_assets.sim.transceivers import controller_entry, pilot_entry
from vatstats_assets.sim.truth import (
    CompletedFlightTruth,
    ContactTruth,
    ControllerSessionTruth,
    GroundTruth,
    MovementTruth,
    TruthEvent,
)
from vatstats_assets.sim.world import World, default_world

# Measured shares of time a slot is online (sessions vs the gaps between them), used to size the
# number of slots so that the requested counts are what a snapshot shows on average.
PILOT_ONLINE_SHARE = 0.94
CONTROLLER_ONLINE_SHARE = 0.53
RECENT_CONTROLLERS_S = 600.0  # ended controller connections kept for rebuilding older snapshots
# Controller connections kept for the contact truth of pilot sessions still running: longer than any
# session (the longest flights take about 17 hours).
ROSTER_KEEP_S = 30 * 3600.0


def default_controllers(pilots: int) -> int:
    """About one controller (observers included) per 12 pilots, as on the real network."""
    return max(1, round(pilots / 12.5))


class Simulation:
    def __init__(
        self,
        *,
        start: datetime,
        pilots: int,
        seed: int,
        controllers: int | None = None,
        world: World | None = None,
        airspace: Airspace | None = None,
        contacts: bool = True,
    ) -> None:
        """`airspace`, when given, adds every connection's sector stays to the ground truth; `contacts`
        adds the ATC contacts (a scorer that does not need them saves their cost by leaving them out)."""
        if pilots < 0:
            raise ValueError("pilots must be zero or more")
        if controllers is not None and controllers < 0:
            raise ValueError("controllers must be zero or more")
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware (UTC)")
        self.seed = seed
        self.window_start = float(int(start.timestamp()))
        self.world = world or default_world()
        self.sector_truth = SectorTruth(airspace) if airspace is not None else None
        self.contact_truth = contacts
        planner = PilotPlanner(self.world)
        pilot_slots = math.ceil(pilots / PILOT_ONLINE_SHARE) if pilots else 0
        self.pilot_slots = [PilotSlot(i, pilot_slots, seed, planner, self.window_start) for i in range(pilot_slots)]
        wanted_controllers = default_controllers(pilots) if controllers is None else controllers
        controller_slots = math.ceil(wanted_controllers / CONTROLLER_ONLINE_SHARE) if wanted_controllers else 0
        catalogue = position_catalogue(self.world)
        self.controller_slots: list[ControllerSlot] = []
        atc_index = 0
        for i in range(controller_slots):
            # Observers are every fifth and every other fifth slot: spread evenly, deterministic.
            observer = i % 5 in (1, 3)
            position = None if observer else position_for_slot(catalogue, atc_index)
            atc_index += 0 if observer else 1
            self.controller_slots.append(ControllerSlot(i, controller_slots, seed, position, self.window_start))
        self._recent_controllers: list[ControllerConnection] = []
        self._roster: dict[tuple[str, str, int, float], ControllerConnection] = {}
        self._stations: Stations | None = None
        self._radios: dict[tuple[int, str, float], PilotRadio] = {}
        self._advanced_to = -math.inf
        self._truth_until = self.window_start - 1e-6  # events at or before this have been emitted

    # ----- time --------------------------------------------------------------------------------
    def tick(self, index: int) -> Tick:
        return make_tick(self.window_start, index, self.seed)

    def tick_at(self, epoch: float) -> Tick:
        """The newest tick published at or before `epoch` (never before the first)."""
        index = max(0, int((epoch - self.window_start) // SNAPSHOT_INTERVAL_S))
        tick = self.tick(index)
        if tick.epoch > epoch and index > 0:
            tick = self.tick(index - 1)
        return tick

    # ----- progress and truth ----------------------------------------------------------------------
    def advance_to(self, epoch: float, truth: GroundTruth | None = None) -> None:
        """Move every slot forward to `epoch` and hand the events up to it to `truth` (chronological)."""
        if epoch <= self._advanced_to:
            return
        events: list[tuple[float, int, TruthEvent]] = []
        low = self._truth_until
        ended: list[PilotSession] = []
        for slot in self.pilot_slots:
            finished = slot.advance(epoch)
            for session in finished:
                self._collect_pilot_events(session, low, epoch, events)
                if truth is not None:
                    self._collect_sector_stays(session, epoch, events)
            ended.extend(finished)
            self._collect_pilot_events(slot.current, low, epoch, events)
        recent_floor = epoch - RECENT_CONTROLLERS_S
        self._recent_controllers = [c for c in self._recent_controllers if c.logoff > recent_floor]
        for controller_slot in self.controller_slots:
            for connection in controller_slot.advance(epoch):
                self._recent_controllers.append(connection)
                self._enrol(connection)
                if connection.logoff > self.window_start and connection.logoff > low:
                    events.append((connection.logoff, 3, self._controller_truth(connection, connection.logoff)))
            for connection in controller_slot.active:
                self._enrol(connection)
        self._forget_old(epoch)
        self._advanced_to = epoch
        self._truth_until = max(low, epoch)
        if truth is not None and events:
            events.sort(key=lambda item: (item[0], item[1], item[2].cid, item[2].callsign))
            truth.record([event for _, _, event in events])
        if truth is not None and ended and self.contact_truth:
            truth.record(self._contacts(ended, epoch))

    def _enrol(self, connection: ControllerConnection) -> None:
        """Keep a controller connection for the contact truth and the tuning (observers have no radio)."""
        key = (connection.section, connection.callsign, connection.cid, connection.logon)
        if connection.sites and key not in self._roster:
            self._roster[key] = connection
            self._stations = None

    def _forget_old(self, epoch: float) -> None:
        floor = epoch - ROSTER_KEEP_S
        old = [key for key, connection in self._roster.items() if connection.logoff < floor]
        for key in old:
            del self._roster[key]
        if old:
            self._stations = None
        if len(self._radios) > 4 * len(self.pilot_slots) + 64:
            self._radios.clear()  # rebuilt on demand: a connection's draws do not depend on when

    def _contacts(self, sessions: list[PilotSession], end: float) -> list[ContactTruth]:
        """The contact truth of `sessions` inside the window up to `end` (every controller they could
        have met is enrolled by now: a connection is known from its logon on)."""
        if self._stations is None:
            self._stations = station_table(sorted(self._roster.values(), key=lambda c: (c.logon, c.callsign)))
        found = [c for session in sessions for c in session_contacts(session, self._stations, self.window_start, end)]
        found.sort(key=lambda c: (c.started_at, c.pilot_cid, c.pilot_callsign, c.atc_callsign))
        return found

    def finish(self, epoch: float, truth: GroundTruth | None) -> None:
        """Close the window at `epoch`: controller connections still open end there."""
        self.advance_to(epoch, truth)
        if truth is None:
            return
        still_open = [
            c for slot in self.controller_slots for c in slot.active if c.logon <= epoch < c.logoff
        ]
        truth.record([self._controller_truth(c, epoch) for c in still_open])
        stays: list[tuple[float, int, TruthEvent]] = []
        for slot in self.pilot_slots:  # sessions still online: their stays end with the window
            self._collect_sector_stays(slot.current, epoch, stays)
        truth.record([event for _, _, event in sorted(stays, key=lambda s: (s[0], s[2].cid, s[2].callsign))])
        if self.contact_truth:
            truth.record(self._contacts([slot.current for slot in self.pilot_slots], epoch))

    def _collect_sector_stays(self, session: PilotSession, end: float, out: list[tuple[float, int, TruthEvent]]) -> None:
        """The session's sector stays inside the window up to `end` (when it ended, or the window closes)."""
        if self.sector_truth is None:
            return
        for stay in self.sector_truth.stays(session, self.window_start, end):
            out.append((min(session.end, end), 4, stay))

    def _controller_truth(self, connection: ControllerConnection, end: float) -> ControllerSessionTruth:
        return ControllerSessionTruth(
            callsign=connection.callsign,
            cid=connection.cid,
            facility=connection.facility,
            rating=connection.rating,
            start=_whole_second(max(connection.logon, self.window_start)),
            end=_whole_second(end),
            logon_time=connection.logon_datetime,
            section="atis" if connection.section == "atis" else "controllers",
        )

    def _collect_pilot_events(
        self, session: PilotSession, low: float, high: float, out: list[tuple[float, int, TruthEvent]]
    ) -> None:
        movements = session.movements
        index = session.next_movement
        while index < len(movements) and movements[index][0] <= high:
            at, kind, airport = movements[index]
            index += 1
            if at <= low or at < self.window_start:
                continue
            connection = session.connection_at(at)
            if connection is None:  # cannot happen: movements never fall in a reconnect gap
                continue
            out.append((at, 0 if kind == "departure" else 1, MovementTruth(
                kind,  # type: ignore[arg-type]
                airport, _whole_second(at), session.cid, session.callsign, connection.logon_datetime,
                session.aircraft_type, session.filed_departure, session.filed_arrival,
            )))
            completion = session.completion()
            if kind == "arrival" and completion is not None and completion[2] == at:
                takeoff, departure, landing, arrival = completion
                out.append((at, 2, CompletedFlightTruth(
                    cid=session.cid,
                    callsign=session.callsign,
                    logon_time=connection.logon_datetime,
                    departure=departure,
                    arrival=arrival,
                    takeoff_at=_whole_second(takeoff),
                    landing_at=_whole_second(landing),
                    diverted=session.filed_arrival is not None and session.filed_arrival != arrival,
                    filed_departure=session.filed_departure,
                    filed_arrival=session.filed_arrival,
                )))
        session.next_movement = index

    # ----- snapshots --------------------------------------------------------------------------------
    def snapshot(self, tick: Tick, truth: GroundTruth | None = None) -> dict[str, Any]:
        """The v3 feed at `tick` (advancing the simulation to it first if needed)."""
        self.advance_to(tick.epoch, truth)
        t = tick.epoch
        pilots: list[dict] = []
        prefiles: list[dict] = []
        for slot in self.pilot_slots:
            current = slot.current
            connection = current.connection_at(t)
            if connection is not None:
                pilots.append(pilot_record(current, connection, tick))
            else:
                previous = slot.previous
                connection = previous.connection_at(t) if previous is not None else None
                if connection is not None and previous is not None:
                    pilots.append(pilot_record(previous, connection, tick))
                if _prefiled(current, t):
                    prefiles.append(prefile_record(current))
            upcoming = slot.upcoming
            if upcoming is not None and _prefiled(upcoming, t):
                prefiles.append(prefile_record(upcoming))
        controllers: list[dict] = []
        atis: list[dict] = []
        seen: set[tuple[str, str]] = set()
        candidates = [c for slot in self.controller_slots for c in slot.active] + self._recent_controllers
        for controller in candidates:
            if controller.logon <= t < controller.logoff and (controller.section, controller.callsign) not in seen:
                seen.add((controller.section, controller.callsign))
                record = controller_record(controller, tick)
                (atis if controller.section == "atis" else controllers).append(record)
        return assemble(tick, pilots, controllers, atis, prefiles)


    # ----- transceivers -----------------------------------------------------------------------------
    def transceivers(self, tick: Tick, truth: GroundTruth | None = None) -> list[dict[str, Any]]:
        """The transceivers feed at `tick`: one entry per pilot, controller and ATIS connection of the
        snapshot at the same tick, tuned by `sim/radio.py` (as the contact truth is)."""
        self.advance_to(tick.epoch, truth)
        t = tick.epoch
        online: list[tuple[PilotSession, Connection]] = []
        for slot in self.pilot_slots:
            for session in (slot.current, slot.previous):
                connection = session.connection_at(t) if session is not None else None
                if session is not None and connection is not None:
                    online.append((session, connection))
                    break
        states = [session.trajectory.state_at(t - session.base) for session, _ in online]
        radios = [self._radio(session, connection) for session, connection in online]
        controllers = self._controllers_online(t)
        stations = station_table([c for c in controllers if c.logon <= t < c.logoff])
        points = stack_points(radios, t, [(s[0], s[1], s[2], s[3]) for s in states])
        com1, com2 = tune(points, stations)
        entries = [pilot_entry(session.callsign, state, int(first), int(second))
                   for (session, _), state, first, second in zip(online, states, com1, com2, strict=True)]
        entries += [controller_entry(c) for c in controllers]
        return entries

    def _radio(self, session: PilotSession, connection: Connection) -> PilotRadio:
        key = (session.cid, session.callsign, connection.logon)
        radio = self._radios.get(key)
        if radio is None:
            radio = self._radios[key] = pilot_radio(session, connection)
        return radio

    def _controllers_online(self, t: float) -> list[ControllerConnection]:
        """Controller and ATIS connections at t, as the snapshot lists them (controllers, then ATIS)."""
        seen: set[tuple[str, str]] = set()
        found: list[ControllerConnection] = []
        candidates = [c for slot in self.controller_slots for c in slot.active] + self._recent_controllers
        for controller in candidates:
            if controller.logon <= t < controller.logoff and (controller.section, controller.callsign) not in seen:
                seen.add((controller.section, controller.callsign))
                found.append(controller)
        return [c for c in found if c.section != "atis"] + [c for c in found if c.section == "atis"]


def _prefiled(session: PilotSession, t: float) -> bool:
    return session.prefile_from is not None and session.prefile_from <= t < session.connections[0].logon


def _whole_second(epoch: float) -> datetime:
    return utc_from_epoch(float(round(epoch)))


def generate_snapshots(
    start: datetime,
    hours: float,
    pilots: int,
    seed: int,
    controllers: int | None = None,
    *,
    truth: GroundTruth | None = None,
    airspace: Airspace | None = None,
    contacts: bool = True,
) -> Iterator[tuple[datetime, dict]]:
    """Every 15 s snapshot of `hours` from `start`, as (update_timestamp, v3 dict), feeding `truth` as it goes.

    The ground truth covers the window from the first to the last snapshot; controller
    connections still open at the end are closed at the last snapshot's time. `contacts=False`
    leaves the ATC contacts out of it.
    """
    for moment, data, _ in _generate(start, hours, pilots, seed, controllers, truth=truth, airspace=airspace,
                                     contacts=contacts, with_transceivers=False):
        yield moment, data


def generate_feed(
    start: datetime,
    hours: float,
    pilots: int,
    seed: int,
    controllers: int | None = None,
    *,
    truth: GroundTruth | None = None,
    airspace: Airspace | None = None,
) -> Iterator[tuple[datetime, dict, list[dict]]]:
    """As `generate_snapshots`, with each tick's transceivers feed: (update_timestamp, v3 dict, transceivers)."""
    yield from _generate(start, hours, pilots, seed, controllers, truth=truth, airspace=airspace,
                         contacts=True, with_transceivers=True)


def _generate(
    start: datetime, hours: float, pilots: int, seed: int, controllers: int | None, *,
    truth: GroundTruth | None, airspace: Airspace | None, contacts: bool, with_transceivers: bool,
) -> Iterator[tuple[datetime, dict, list[dict]]]:
    simulation = Simulation(start=start, pilots=pilots, seed=seed, controllers=controllers, airspace=airspace,
                            contacts=contacts)
    count = round(hours * 3600 / SNAPSHOT_INTERVAL_S)
    tick = None
    for index in range(count):
        tick = simulation.tick(index)
        data = simulation.snapshot(tick, truth)
        yield tick.moment, data, simulation.transceivers(tick, truth) if with_transceivers else []
    if tick is not None:
        simulation.finish(tick.epoch, truth)
