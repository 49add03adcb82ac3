"""Track loading and detection of traffic_movements and flight_summaries, today's columnar path
against the per-point path it replaced (bench/baseline, as of commit 5202482), in one process on the
same warehouse right after the backfill: the figures the two assets spend nearly all their time on.

Each day of the span is loaded and detected both ways, with the context each asset loads (3 h before
the day for the movements, 21 h for the completed flights), and the rows must come out identical,
field by field; a difference stops the benchmark. The per-point path runs first each time, so any
warming of PostgreSQL's cache favours it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import astuple
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bench.baseline import flights as baseline_flights
from bench.baseline import movements as baseline_movements
from bench.baseline import tracks as baseline_tracks
from bench.figures import figure
from vatstats_assets.core.airports import AirportIndex
from vatstats_assets.core.flights import completed_flights
from vatstats_assets.core.movement_rules import DEFAULT_RULES
from vatstats_assets.core.movements import detect_movements
from vatstats_assets.storage.tracks import load_tracks

RATIO_LABEL = "per-point path / columnar"


def _timed(engine: sa.Engine, load: Callable[..., Any], detect: Callable[..., list], start: datetime,
           end: datetime, before: timedelta, flights: bool) -> tuple[float, float, list[tuple]]:
    """Seconds loading, seconds detecting, and the rows, for one day and one path."""
    started = time.perf_counter()
    with engine.connect() as conn:
        tracks = load(conn, start, end, before=before)
    loaded = time.perf_counter()
    extra = {"flight_rules": tracks.flight_rules} if flights else {}
    found = detect(tracks.connections, AirportIndex.from_airportsdata(), window_start=start, window_end=end, **extra)
    return loaded - started, time.perf_counter() - loaded, [astuple(row) for row in found]


def compare_paths(engine: sa.Engine, first_day: date, last_day: date, label: str, benchmark: str,
                  log: Callable[[str], None]) -> list[dict]:
    cases = (
        ("traffic_movements", DEFAULT_RULES.context_before, False,
         baseline_movements.detect_movements, detect_movements),
        ("flight_summaries", DEFAULT_RULES.whole_flight_before, True,
         baseline_flights.completed_flights, completed_flights),
    )
    figures = []
    totals = {"old": 0.0, "new": 0.0}
    for asset, before, flights, old_detect, new_detect in cases:
        seconds = {"old_load": 0.0, "old_detect": 0.0, "new_load": 0.0, "new_detect": 0.0}
        rows = 0
        day = first_day
        while day <= last_day:
            start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
            end = start + timedelta(days=1)
            old_load, old_detect_s, old_rows = _timed(engine, baseline_tracks.load_tracks, old_detect, start, end,
                                                      before, flights)
            new_load, new_detect_s, new_rows = _timed(engine, load_tracks, new_detect, start, end, before, flights)
            if new_rows != old_rows:
                raise RuntimeError(f"{asset} on {day}: the columnar path's {len(new_rows)} rows differ from the "
                                   f"per-point path's {len(old_rows)}")
            seconds["old_load"] += old_load
            seconds["old_detect"] += old_detect_s
            seconds["new_load"] += new_load
            seconds["new_detect"] += new_detect_s
            rows += len(new_rows)
            day += timedelta(days=1)
        old_s = seconds["old_load"] + seconds["old_detect"]
        new_s = seconds["new_load"] + seconds["new_detect"]
        totals["old"] += old_s
        totals["new"] += new_s
        log(f"{label}: {asset} load + detect {new_s:.1f} s, per-point path {old_s:.1f} s "
            f"({old_s / new_s:.1f}x), {rows:,} identical rows")
        figures.append(figure(benchmark, f"{label}: {asset} load + detect (in process)", new_s, "s",
                              ratio=old_s / new_s if new_s else None, ratio_label=RATIO_LABEL,
                              rows_out=rows, identical_rows=True, per_point_s=round(old_s, 2),
                              **{k: round(v, 2) for k, v in seconds.items()}))
    figures.append(figure(benchmark, f"{label}: both load + detect (in process)", totals["new"], "s",
                          ratio=totals["old"] / totals["new"] if totals["new"] else None, ratio_label=RATIO_LABEL,
                          per_point_s=round(totals["old"], 2), identical_rows=True))
    return figures
