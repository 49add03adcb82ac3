"""The simulated feed with its clock in the test's hands and faults scripted request by request."""

from __future__ import annotations

import threading

from vatstats_assets.sim import SimulatorServer
from vatstats_assets.sim.faults import OLDER_BY_SNAPSHOTS, check_fault
from vatstats_assets.sim.snapshot import Tick

# Far enough into the simulated period that `older` (20 snapshots back) has a snapshot to serve.
FIRST_INDEX = OLDER_BY_SNAPSHOTS + 20


class SteppedSimulator(SimulatorServer):
    """`SimulatorServer` whose current snapshot moves only when the test calls `step()`.

    The wall clock never decides which snapshot is served, so "the same", "the previous" and "the
    next" snapshot mean the same thing on every run. `fail_next(mode)` applies a fault mode to the
    next data requests only: a retried run then finds the feed healthy again.
    """

    def __init__(self, *, pilots: int = 60, seed: int = 11, **options) -> None:
        super().__init__(port=0, pilots=pilots, seed=seed, **options)
        self.index = FIRST_INDEX
        self.data_requests = 0
        self._script_lock = threading.Lock()
        self._scripted_fault: str | None = None
        self._scripted_remaining = 0

    def current_tick(self) -> Tick:
        return self.simulation.tick(self.index)

    def step(self, snapshots: int = 1) -> Tick:
        """Publish the next snapshot (or the one `snapshots` ahead)."""
        self.index += snapshots
        return self.current_tick()

    def fail_next(self, mode: str, requests: int = 1) -> None:
        """Serve the next `requests` data requests with fault `mode`, then behave again."""
        with self._script_lock:
            self._scripted_fault = check_fault(mode)
            self._scripted_remaining = requests

    @property
    def fault(self) -> str | None:
        # The request handler reads this once per data request: the natural place to count them.
        with self._script_lock:
            self.data_requests += 1
            if self._scripted_remaining > 0:
                self._scripted_remaining -= 1
                return self._scripted_fault
        return super().fault
