"""Work spread over worker processes, results back in order: how `vatstats replay` and the rebuild
from the raw snapshots prepare batches of snapshots on every core while one process writes them.

At most two items a worker are in flight, so memory stays flat however many items there are; with
no workers the items are worked in the calling process, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def one_per_core() -> int:
    return os.cpu_count() or 1


class OrderedPool:
    """`workers` spawned processes (0: none), each started with `initializer(*initargs)` if given."""

    def __init__(self, workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> None:
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, not {workers}")
        # Each worker's next item ready while the caller deals with its last one.
        self.ahead = 2 * workers
        self._pool: ProcessPoolExecutor | None = None
        if workers:
            # Spawned, not forked: a fork copies this process's threads' state but not the threads
            # (the compressor of storage/ingest.py), and a child waiting on one would wait forever.
            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=initializer, initargs=initargs)

    def map(self, work: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        """`work` of each item, in the items' order. `work` and the items travel to the workers
        pickled: a module-level function (or a partial of one) and plain data."""
        if self._pool is None:
            yield from map(work, items)
            return
        pending: deque[Future[Result]] = deque()
        for item in items:
            pending.append(self._pool.submit(work, item))
            if len(pending) >= self.ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> OrderedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
