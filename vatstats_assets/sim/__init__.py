"""A synthetic VATSIM v3 feed with ground truth: traffic model, HTTP server, offline writer.

Public entry points:
- `SimulatorServer`: the feed over HTTP in background threads (tests use `port=0`).
- `generate_snapshots(...)`: every 15 s snapshot of a period, in memory.
- `GroundTruth`: collects (and optionally writes) what really happened.
- `write_offline(...)`: a period as gzipped files plus ground-truth.jsonl.
- `command.main(argv)`: the `vatstats simulate` command.
"""

from vatstats_assets.sim.errors import SimulatorError
from vatstats_assets.sim.faults import FAULT_MODES
from vatstats_assets.sim.offline import write_offline
from vatstats_assets.sim.server import SimulatorServer
from vatstats_assets.sim.simulation import Simulation, generate_snapshots
from vatstats_assets.sim.truth import (
    CompletedFlightTruth,
    ControllerSessionTruth,
    GroundTruth,
    MovementTruth,
)

__all__ = [
    "FAULT_MODES",
    "CompletedFlightTruth",
    "ControllerSessionTruth",
    "GroundTruth",
    "MovementTruth",
    "Simulation",
    "SimulatorError",
    "SimulatorServer",
    "generate_snapshots",
    "write_offline",
]
