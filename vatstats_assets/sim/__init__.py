"""A synthetic VATSIM v3 feed with ground truth: traffic model, HTTP server, offline writer.

Public entry points:
- `SimulatorServer`: the feed over HTTP in background threads (tests use `port=0`), with the
  transceivers feed beside it (`transceivers_url`).
- `generate_snapshots(...)`: every 15 s snapshot of a period, in memory; `generate_feed(...)` the same
  with each tick's transceivers feed (`Simulation.transceivers(tick)`).
- `GroundTruth`: collects (and optionally writes) what really happened; `GroundTruth.contacts` are
  the ATC contacts (`ContactTruth`, timed by `sim/contact_truth.py`).
- `write_offline(...)`: a period as gzipped files plus ground-truth.jsonl.
- `command.main(argv)`: the `vatstats simulate` command.
"""

from vatstats_assets.sim.errors import SimulatorError
from vatstats_assets.sim.faults import FAULT_MODES
from vatstats_assets.sim.offline import write_offline
from vatstats_assets.sim.server import SimulatorServer
from vatstats_assets.sim.simulation import Simulation, generate_feed, generate_snapshots
from vatstats_assets.sim.truth import (
    CompletedFlightTruth,
    ContactTruth,
    ControllerSessionTruth,
    GroundTruth,
    MovementTruth,
)

__all__ = [
    "FAULT_MODES",
    "CompletedFlightTruth",
    "ContactTruth",
    "ControllerSessionTruth",
    "GroundTruth",
    "MovementTruth",
    "Simulation",
    "SimulatorError",
    "SimulatorServer",
    "generate_feed",
    "generate_snapshots",
    "write_offline",
]
