"""Offline mode: a whole simulated period written as gzipped snapshot files plus the ground truth.

Beside each `<stem>.json.gz` (the data feed) goes `<stem>.transceivers.json.gz`, the transceivers feed
of the same tick, which `vatstats replay` stores with it.

Building a snapshot (Python dicts, then orjson) runs on the main thread while gzip and the file
write run on worker threads: zlib releases the GIL, so on a multi-core machine compression
costs almost nothing extra.
"""

from __future__ import annotations

import gzip
import os
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

import orjson

from vatstats_assets.core.airspace import Airspace
from vatstats_assets.sim.errors import SimulatorError
from vatstats_assets.sim.simulation import Simulation
from vatstats_assets.sim.snapshot import SNAPSHOT_INTERVAL_S, Tick
from vatstats_assets.sim.truth import GroundTruth

TRUTH_FILE_NAME = "ground-truth.jsonl"
_IN_FLIGHT_WRITES = 8  # bounded, so memory stays flat however long the run


@dataclass(frozen=True, slots=True)
class OfflineRun:
    directory: Path
    snapshots: int
    first_update: datetime | None
    last_update: datetime | None
    seconds: float
    bytes_written: int
    departures: int
    arrivals: int
    completed_flights: int
    controller_sessions: int
    sector_stays: int
    contacts: int


def snapshot_file_name(tick: Tick) -> str:
    """'vatsim-data-20261120T061231Z.json.gz': fixed width, so name order is time order."""
    return f"vatsim-data-{tick.update[:8]}T{tick.update[8:]}Z.json.gz"


TRANSCEIVERS_SUFFIX = ".transceivers.json.gz"


def transceivers_file_name(tick: Tick) -> str:
    """'vatsim-data-20261120T061231Z.transceivers.json.gz': beside the data file of the same tick."""
    return snapshot_file_name(tick).removesuffix(".json.gz") + TRANSCEIVERS_SUFFIX


def ensure_writable_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".vatstats-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise SimulatorError(f"cannot write to directory {directory} ({error.strerror or error})") from error


def _write(path: Path, body: bytes) -> int:
    data = gzip.compress(body, compresslevel=6, mtime=0)  # mtime=0: same input, same bytes
    path.write_bytes(data)
    return len(data)


def write_offline(
    directory: str | Path,
    *,
    hours: float,
    pilots: int,
    seed: int,
    start: datetime,
    controllers: int | None = None,
    progress: IO[str] | None = None,
    airspace: Airspace | None = None,
    transceivers: bool = True,
) -> OfflineRun:
    """Write every 15 s snapshot of `hours` from `start` into `directory`, with ground-truth.jsonl beside them.

    `progress`, when given (the command passes stderr), receives about 50 progress lines. `airspace`,
    when given, adds every connection's sector stays to the ground truth. `transceivers` writes the
    transceivers feed of each tick beside its snapshot (`transceivers_file_name`).
    """
    if hours <= 0:
        raise SimulatorError("hours must be a positive number")
    target = Path(directory)
    ensure_writable_directory(target)
    began = time.perf_counter()
    simulation = Simulation(start=start, pilots=pilots, seed=seed, controllers=controllers, airspace=airspace)
    count = round(hours * 3600 / SNAPSHOT_INTERVAL_S)
    report_every = max(1, count // 50)
    pending: deque[Future[int]] = deque()
    written = 0
    first: Tick | None = None
    tick: Tick | None = None
    workers = max(1, min(4, os.cpu_count() or 1))
    with GroundTruth(target / TRUTH_FILE_NAME) as truth, ThreadPoolExecutor(max_workers=workers) as pool:
        for index in range(count):
            tick = simulation.tick(index)
            first = first or tick
            snapshot = simulation.snapshot(tick, truth)
            body = orjson.dumps(snapshot)
            pending.append(pool.submit(_write, target / snapshot_file_name(tick), body))
            if transceivers:
                radios = orjson.dumps(simulation.transceivers(tick, truth))
                pending.append(pool.submit(_write, target / transceivers_file_name(tick), radios))
            while len(pending) > _IN_FLIGHT_WRITES:
                written += pending.popleft().result()
            if progress is not None and (index + 1) % report_every == 0:
                elapsed = time.perf_counter() - began
                progress.write(
                    f"offline: {index + 1}/{count} snapshots ({(index + 1) * 100 // count}%), "
                    f"{len(snapshot['pilots'])} pilots online at {tick.update_timestamp}, {elapsed:.0f} s elapsed\n"
                )
                progress.flush()
        while pending:
            written += pending.popleft().result()
        if tick is not None:
            simulation.finish(tick.epoch, truth)
    return OfflineRun(
        directory=target,
        snapshots=count,
        first_update=first.moment if first else None,
        last_update=tick.moment if tick else None,
        seconds=time.perf_counter() - began,
        bytes_written=written,
        departures=len(truth.departures),
        arrivals=len(truth.arrivals),
        completed_flights=len(truth.completed_flights),
        controller_sessions=len(truth.controller_sessions),
        sector_stays=len(truth.sector_stays),
        contacts=len(truth.contacts),
    )
