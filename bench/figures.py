"""The shape of one measured figure, shared by every benchmark and by the suite's table and JSON.

A figure is a plain dict so it goes into the results JSON unchanged:
    {"benchmark": "ingest", "variant": "4,000 pilots: vatstats", "figure": 52.1, "unit": "ms",
     "ratio": 61.3, "ratio_label": "old ORM / vatstats", "details": {...}}
`ratio` compares with the benchmark's baseline measured in the same run (None when there is none).
"""

from __future__ import annotations

import math
import statistics
from typing import Any


def figure(
    benchmark: str,
    variant: str,
    value: float | int | str | None,
    unit: str = "",
    *,
    ratio: float | None = None,
    ratio_label: str = "",
    **details: Any,
) -> dict[str, Any]:
    return {
        "benchmark": benchmark,
        "variant": variant,
        "figure": round(value, 2) if isinstance(value, float) else value,
        "unit": unit,
        "ratio": round(ratio, 2) if ratio is not None else None,
        "ratio_label": ratio_label,
        "details": details,
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return numerator / denominator


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 40 samples is the 38th smallest): no interpolation to invent values."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
