"""Processes that run assets keep the memory they free for their next large arrays, instead of
giving it back to the kernel.

A day's track read allocates and frees some 3 GB of numpy arrays (the COPY buffers, the columns,
their sorted copies). glibc's malloc serves every block over 32 MB with an mmap of its own and
unmaps it when freed, so the next read, the next asset of the run or the next day of a backfill
gets fresh pages from the kernel and pays a page fault for every 4 KB of them. On a virtual machine
that is dear: on the 2-core VM the benchmarks run on, touching 1 GB of fresh memory took 1.4-5.5 s,
of memory the process had freed itself 0.15 s. Told at start-up not to use mmap and never to trim
the heap, malloc reuses what the process freed: the day's movements and four summaries 45.7 s ->
29.0 s (median of 3 and 2 runs, `vatstats backfill` of 2026-11-21 on a 1,500-pilot week), system
time 18 s -> 2.3 s. A process keeps its peak until it ends (a run worker ends with its run).

The settings are malloc's environment variables (mallopt(3)), read once when a process starts:
`vatstats dev` gives them to Dagster (and so to every run worker it launches), and `vatstats
backfill`, whose runs are in-process, starts itself again with them. Called with mallopt(3) from a
running process they did not have the same effect (45.7 s, system time 18 s). Values set already are
left alone; elsewhere than glibc they mean nothing and change nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

KEEP_FREED_MEMORY = {
    "MALLOC_MMAP_MAX_": "0",  # no block of its own mapping: every block comes from the heap
    "MALLOC_TRIM_THRESHOLD_": str(1 << 40),  # never give the heap's free top back to the kernel
}


def keeping_freed_memory(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` with the settings added (a value already there wins)."""
    return {**KEEP_FREED_MEMORY, **environ}


def restart_keeping_freed_memory(argv: Sequence[str]) -> None:
    """Replace this process with `python -m vatstats_assets.cli ARGV` started with the settings, unless
    it has them (then return): the same PID, terminal and open files."""
    if not sys.platform.startswith("linux") or all(name in os.environ for name in KEEP_FREED_MEMORY):
        return
    os.execve(sys.executable, [sys.executable, "-m", "vatstats_assets.cli", *argv],
              keeping_freed_memory(os.environ))
