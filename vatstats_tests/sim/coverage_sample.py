"""A simulated period rich in radio cases, for the transceivers and contact-truth tests.

Two hours from 06:00 UTC with 200 pilots and 60 controllers (seed 9): Sydney tower and London
Heathrow tower, on one frequency, are both staffed for most of an hour; European 8.33 kHz stations,
long-haul flights hours after their logon, wrong tunes and reconnects all happen. About 10 s to build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from vatstats_assets.sim import GroundTruth
from vatstats_assets.sim.simulation import Simulation
from vatstats_assets.sim.traffic import Connection, PilotSession

START = datetime(2026, 11, 20, 6, tzinfo=UTC)
HOURS = 2.0
PILOTS = 200
CONTROLLERS = 60
SEED = 9

PilotKey = tuple[int, str, float]  # cid, callsign, logon (POSIX seconds)


@dataclass
class CoverageSample:
    simulation: Simulation
    truth: GroundTruth
    ticks: list[tuple[dict, list[dict]]] = field(default_factory=list)  # (data snapshot, transceivers)
    pilot_connections: dict[PilotKey, tuple[PilotSession, Connection]] = field(default_factory=dict)

    @property
    def end(self) -> datetime:
        return self.simulation.tick(len(self.ticks) - 1).moment


def simulate_coverage() -> CoverageSample:
    simulation = Simulation(start=START, pilots=PILOTS, seed=SEED, controllers=CONTROLLERS)
    sample = CoverageSample(simulation, GroundTruth())
    for index in range(round(HOURS * 240)):
        tick = simulation.tick(index)
        sample.ticks.append((simulation.snapshot(tick, sample.truth), simulation.transceivers(tick, sample.truth)))
        for slot in simulation.pilot_slots:
            for session in (slot.current, slot.previous):
                connection = session.connection_at(tick.epoch) if session is not None else None
                if session is not None and connection is not None:
                    sample.pilot_connections[(session.cid, session.callsign, connection.logon)] = (session, connection)
    simulation.finish(tick.epoch, sample.truth)
    return sample
