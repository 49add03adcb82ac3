"""The CPU half of `vatstats replay`: read, parse and prepare snapshot files, in worker processes.

Reading a 1,500-pilot snapshot, parsing it and building its rows costs about 60 ms of Python, more
than writing it in a batch does (storage/tick_batch.py): worker processes prepare the next files
while the main process writes, one process a core. Results come back in the archive's order, with
a bounded number in flight, so memory stays flat however long the archive is.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vatstats_assets.commands.snapshot_files import read_body, transceivers_path
from vatstats_assets.core.feed import FeedFormatError
from vatstats_assets.core.region import Region
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.regions import load_region
from vatstats_assets.storage.ingest import PreparedTick, parse_and_compress, prepare_tick
from vatstats_assets.storage.tick_batch import BatchTick, batch_tick

NO_TRANSCEIVERS_FILE = "no transceivers file"


@dataclass(frozen=True)
class ReplayOptions:
    """What every worker needs to prepare a file the way the replay was asked to."""

    root: Path
    region: str
    airspace_dir: Path | None
    store_names: bool


@dataclass(frozen=True)
class Refused:
    path: Path
    reason: str


@dataclass(frozen=True)
class Prepared:
    path: Path
    tick: BatchTick


_options: ReplayOptions | None = None
_region: Region | None = None


def start_worker(options: ReplayOptions) -> None:
    """Make this process ready to prepare files (once per process: a boundary region takes a moment)."""
    global _options, _region
    _options, _region = options, load_region(options.region, options.airspace_dir)


def prepare_file(path: Path) -> PreparedTick | Refused:
    """One snapshot file (and the transceivers file beside it) as the rows it writes, or why not."""
    assert _options is not None and _region is not None, "the worker was not started"
    try:
        body = read_body(path)
        snapshot, compressed = parse_and_compress(body, store_names=_options.store_names)
    except FeedFormatError as error:
        return Refused(path, str(error))
    return prepare_tick(snapshot, body, source=f"replay:{path.relative_to(_options.root)}",
                        fetched_at=datetime.now(UTC), region=_region, store_names=_options.store_names,
                        compressed=compressed, transceivers=transceivers_beside(path))


def prepare_for_batch(path: Path) -> Prepared | Refused:
    """prepare_file's tick as a batch writes it: what a worker sends back (storage/tick_batch.py)."""
    tick = prepare_file(path)
    return tick if isinstance(tick, Refused) else Prepared(path, batch_tick(tick))


def transceivers_beside(snapshot: Path) -> TransceiversFeed:
    """The snapshot's transceivers file, or why it has none (stored as transceivers_missing)."""
    path = transceivers_path(snapshot)
    if path is None:
        return TransceiversFeed.not_received(NO_TRANSCEIVERS_FILE)
    try:
        return TransceiversFeed.received(read_body(path))
    except FeedFormatError as error:
        return TransceiversFeed.not_received(f"the transceivers file {path.name} is {error}")


def default_workers() -> int:
    return os.cpu_count() or 1


class Preparer:
    """Prepares files in `workers` processes (0: in this one), yielding results in order. This
    process is made ready too, to prepare again what a batch could not take (prepare_file)."""

    def __init__(self, options: ReplayOptions, workers: int, batch_size: int = 1) -> None:
        self.workers = workers
        # Files prepared ahead of the writer: a batch's worth and more, so that the workers go on
        # while the writer spends a second in PostgreSQL (a BatchTick is about 1 MB at 1,500 pilots).
        self.ahead = max(batch_size + 2 * workers, 4 * workers)
        self._pool: Executor | None = None
        start_worker(options)
        if workers:
            # Spawned, not forked: a fork copies this process's threads' state but not the threads
            # (the compressor of storage/ingest.py), and a child waiting on one would wait forever.
            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=start_worker, initargs=(options,))

    def prepared(self, paths: Iterable[Path]) -> Iterator[Prepared | Refused]:
        if self._pool is None:
            yield from map(prepare_for_batch, paths)
            return
        pending: deque[Future[Prepared | Refused]] = deque()
        for path in paths:
            pending.append(self._pool.submit(prepare_for_batch, path))
            if len(pending) >= self.ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
