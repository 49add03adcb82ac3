"""The benchmark suite still runs: `vatstats bench --quick --smoke` on tiny sizes, against the test server.

Figures from tiny sizes mean nothing and nothing is timed here; the test only proves that every
benchmark produces its rows and the results JSON. Freshness (ten minutes of `vatstats dev`) is left
out, as `--quick` does, and the week's backfill, which needs a warehouse holding a week.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import parse_bench
from bench.suite import BENCHMARKS, ON_REQUEST_BENCHMARKS, SLOW_BENCHMARKS, main


def test_quick_smoke_run_gives_figures_for_every_benchmark_and_writes_them_as_json(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(parse_bench, "PILOT_COUNTS", (100,))  # parse_bench has fixed sizes; keep it quick

    status = main(["--quick", "--smoke", "--database-url", database_url, "--output", str(tmp_path)])

    [written] = tmp_path.glob("*.json")
    record = json.loads(written.read_text())
    assert status == 0, record["failures"]
    expected = {name for name in BENCHMARKS if name not in SLOW_BENCHMARKS + ON_REQUEST_BENCHMARKS}
    assert {row["benchmark"] for row in record["figures"]} == expected
    assert all({"variant", "figure", "unit", "ratio"} <= row.keys() for row in record["figures"])
    assert record["machine"]["cpu_count"] and record["machine"]["postgres"]
    assert "ratio vs baseline" in capsys.readouterr().out


def test_unknown_benchmark_name_is_refused_in_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--only", "ingest,warp"]) == 2
    assert "no benchmark called warp" in capsys.readouterr().err


def test_the_week_benchmark_without_its_warehouse_is_refused_in_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--only", "week"]) == 2
    assert "needs --week-warehouse URL and --week-start" in capsys.readouterr().err
