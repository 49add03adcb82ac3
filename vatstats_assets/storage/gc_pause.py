"""Pausing Python's cycle collector around allocation-heavy work (parsing, building rows, COPY text)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a piece of a tick, back on (if it was) afterwards.

    A 4,000-pilot tick allocates some 300,000 objects that live until it ends and hold no
    reference cycles. The collector ran about 37 times during each tick and, every other tick, a
    full pass over the whole process of 59-70 ms: up to a third of the tick, for nothing. Parsing
    (parse_and_compress), building rows (prepare_tick) and COPY (bulk.copy_rows) pause it, so every
    caller of those gets the same. What runs a whole tick (the ingest asset, replay, the ingest
    benchmark) holds it across the tick as well: re-enabled between the phases, the collector ran
    twice per tick over the objects still alive, about 3 ms each time at 4,000 pilots (alternate
    ticks in one run: 168-170 ms paused across the tick, 174-177 ms paused per phase). Pauses
    nest: an inner one leaves the collector as the outer one set it. Reference counting frees the
    objects either way; a cycle made meanwhile is collected afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
