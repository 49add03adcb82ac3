"""The CPU half of `vatstats replay`: read, parse and prepare snapshot files, in worker processes.

Reading a 1,500-pilot snapshot, parsing it and building its rows costs about 60 ms of Python, more
than writing it in a batch does (storage/tick_batch.py): worker processes prepare the next batches
while the main process writes, one process a core. A worker prepares a whole batch of consecutive
files, so that it formats each connection's flights row once a batch, not once a file. Batches come
back in the archive's order, with a bounded number in flight, so memory stays flat however long
the archive is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vatstats_assets.commands.snapshot_files import read_body_and_gzip, transceivers_path
from vatstats_assets.core.feed import FeedFormatError, parse_snapshot
from vatstats_assets.core.region import Region
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.process_pool import OrderedPool
from vatstats_assets.regions import load_region
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.ingest import PreparedTick, parse_and_compress, prepare_tick
from vatstats_assets.storage.raw_body import ENCODING, GZIP
from vatstats_assets.storage.tick_batch import TickBatch, tick_batch

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
class PreparedBatch:
    """Consecutive files prepared together: the batch their snapshots make, and the files refused."""

    paths: list[Path]  # the files whose snapshots `batch` holds, in its order
    batch: TickBatch
    refused: list[Refused]

    @property
    def files(self) -> int:
        return len(self.paths) + len(self.refused)


_options: ReplayOptions | None = None
_region: Region | None = None


def start_worker(options: ReplayOptions) -> None:
    """Make this process ready to prepare files (once per process: a boundary region takes a moment)."""
    global _options, _region
    _options, _region = options, load_region(options.region, options.airspace_dir)


def prepare_file(path: Path) -> PreparedTick | Refused:
    """One snapshot file (and the transceivers file beside it) as the rows it writes, or why not.

    A gzip file is stored as it is (body_encoding 'gzip'), its transceivers file too when that is
    gzip or missing: compressing the JSON again with zstd took a sixth of a worker's time (5 of
    28 ms a 1,500-pilot snapshot), for bodies 3-7 % smaller than gzip at its usual levels 6-9 (a
    real 2024 snapshot; 26 % at level 1). Not when names are not stored: the body is then blanked,
    and compressed as live ingestion does.
    """
    assert _options is not None and _region is not None, "the worker was not started"
    try:
        body, gzip_file = read_body_and_gzip(path)
        transceivers, transceivers_gzip_file = transceivers_beside(path)
        if _options.store_names and gzip_file is not None and (
                transceivers.body is None or transceivers_gzip_file is not None):
            with collector_paused():
                snapshot = parse_snapshot(body)
            compressed: bytes | Future[bytes] = gzip_file
            encoding = GZIP
            if transceivers.body is not None:
                transceivers = TransceiversFeed.received(transceivers.body, stored=transceivers_gzip_file)
        else:
            snapshot, compressed = parse_and_compress(body, store_names=_options.store_names)
            encoding = ENCODING
    except FeedFormatError as error:
        return Refused(path, str(error))
    return prepare_tick(snapshot, body, source=f"replay:{path.relative_to(_options.root)}",
                        fetched_at=datetime.now(UTC), region=_region, store_names=_options.store_names,
                        compressed=compressed, transceivers=transceivers, encoding=encoding)


def prepare_batch(paths: list[Path]) -> PreparedBatch:
    """Consecutive files as the batch they write (storage/tick_batch.py): what a worker sends back.

    Each file's rows become the batch's as soon as it is prepared, and are freed then. The cycle
    collector stays off for the batch: it would otherwise pass over the batch's growing text again
    and again, and the rows hold no cycles (storage/gc_pause.py).
    """
    written: list[Path] = []
    refused: list[Refused] = []

    def ticks() -> Iterator[PreparedTick]:
        for path in paths:
            tick = prepare_file(path)
            if isinstance(tick, Refused):
                refused.append(tick)
            else:
                written.append(path)
                yield tick

    with collector_paused():
        batch = tick_batch(ticks())
    return PreparedBatch(written, batch, refused)


def transceivers_beside(snapshot: Path) -> tuple[TransceiversFeed, bytes | None]:
    """The snapshot's transceivers file, or why it has none (stored as transceivers_missing), and
    the file's own bytes when it is gzip."""
    path = transceivers_path(snapshot)
    if path is None:
        return TransceiversFeed.not_received(NO_TRANSCEIVERS_FILE), None
    try:
        body, gzip_file = read_body_and_gzip(path)
    except FeedFormatError as error:
        return TransceiversFeed.not_received(f"the transceivers file {path.name} is {error}"), None
    return TransceiversFeed.received(body), gzip_file


class Preparer:
    """Prepares batches of files in `workers` processes (0: in this one), yielding them in order.
    This process is made ready too, to prepare again what a batch could not take (prepare_file)."""

    def __init__(self, options: ReplayOptions, workers: int) -> None:
        start_worker(options)
        self._pool = OrderedPool(workers, initializer=start_worker, initargs=(options,))

    def prepared(self, batches: Iterable[list[Path]]) -> Iterator[PreparedBatch]:
        return self._pool.map(prepare_batch, batches)

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
