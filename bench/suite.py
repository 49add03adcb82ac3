"""`vatstats bench` (or `python -m bench`): every benchmark in one run, with ratios to its baseline.

The machine is shared and noisy, so absolute times drift between runs; each ratio is measured in
the same run as its baseline and holds. The table printed at the end is also written, with the
commit and the machine, to bench/results/<UTC time>-<commit>.json so runs can be compared.
Benchmarks run one after another (never in parallel), each in its own throwaway database.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO_ROOT))

from bench.figures import figure  # noqa: E402 - after the path is set
from vatstats_assets.settings import SettingsError  # noqa: E402
from vatstats_assets.storage.server import PostgresServer  # noqa: E402

RESULTS_DIR = REPO_ROOT / "bench" / "results"


@dataclass(frozen=True)
class Benchmark:
    name: str
    summary: str
    runner: Callable[..., list[dict]]  # (quick, server, options) -> figures


def _module_runner(module: str) -> Callable[..., list[dict]]:
    def runner(quick: bool, server: PostgresServer, options: argparse.Namespace) -> list[dict]:
        run = importlib.import_module(module).run
        return run(quick, server=server, **_module_options(module, options))

    return runner


def _module_options(module: str, options: argparse.Namespace) -> dict[str, Any]:
    """The extra keyword arguments each benchmark takes (tiny sizes for the smoke test, minutes)."""
    name = module.rsplit(".", 1)[-1].removesuffix("_bench")
    if name == "freshness":
        return {"minutes": options.minutes}
    if name == "backfill" and options.backfill_hours and not options.smoke:
        return {"hours": options.backfill_hours}
    if name == "backfill" and options.backfill_days and not options.smoke:
        return {"hours": tuple(24 * days for days in options.backfill_days)}
    if not options.smoke:
        return {}
    return {
        "ingest": {"sizes": (100,)},
        "memory": {"ticks": 30, "pilots": 50, "sample_every": 5},
        "status": {"sizes": (20_000,), "repeats": 2, "baseline_timeout_s": 1},
        "storage": {"ticks": 12, "pilots": 60},
        "backfill": {"hours": (0.1,), "pilots": 40, "summaries": False},
        "export": {"rows": 5_000},
        "api": {"days": 0.05, "pilots": 10, "burst": 250, "clients": 5, "time_limit_s": 10},
        "rebuild": {"ticks": 6, "pilots": 30},
        "replay": {"hours": 0.05, "pilots": 30},
    }.get(name, {})


def _parse_figures(quick: bool, server: PostgresServer, options: argparse.Namespace) -> list[dict]:
    """bench/parse_bench.py's figures in the suite's shape (it needs no database)."""
    from bench import parse_bench

    return [
        figure("parse", f"{row['pilots']:,} pilots: parse_snapshot (typed records)", row["parse_typed_ms"], "ms",
               ratio=row["orjson_over_typed"], ratio_label="orjson and the plain reader / typed records",
               **{k: v for k, v in row.items() if k not in ("pilots", "parse_typed_ms", "orjson_over_typed")})
        for row in parse_bench.run(quick=quick or options.smoke)
    ]


def _detect_figures(quick: bool, server: PostgresServer, options: argparse.Namespace) -> list[dict]:
    """bench/detect_bench.py's figures (movement detection in pure Python, no database)."""
    from bench import detect_bench

    return [
        figure("detect", f"{row['measure']} over {row['points']:,} points", row["seconds"], "s",
               **{k: v for k, v in row.items() if k not in ("measure", "seconds")},
               **({"target": "< 30 s for ~1,000,000 positions"} if row["measure"] == "detect_movements" else {}))
        for row in detect_bench.run(quick=quick or options.smoke)
    ]


def _sectors_figures(quick: bool, server: PostgresServer, options: argparse.Namespace) -> list[dict]:
    """bench/sectors_bench.py's figures (placing a day's points in 3-D sectors, no database)."""
    from bench import sectors_bench

    return [
        figure("sectors", f"place {row['points']:,} points in {row['volumes']} volumes (shapely 2, vectorised)",
               row["vectorised_s"], "s", ratio=row["naive_over_vectorised"],
               ratio_label="naive per point / vectorised", target="< 60 s for a 1,500-pilot day (8.64 M points)",
               **{k: v for k, v in row.items() if k not in ("vectorised_s", "naive_over_vectorised")})
        for row in sectors_bench.run(quick=quick or options.smoke)
    ]


def _week_figures(quick: bool, server: PostgresServer, options: argparse.Namespace) -> list[dict]:
    """bench/week_backfill.py's figures, on the warehouse --week-warehouse names."""
    from bench import week_backfill

    return week_backfill.run(quick, server=server, warehouse_url=options.week_warehouse, start=options.week_start,
                             pilots=options.week_pilots)


BENCHMARKS: dict[str, Benchmark] = {
    b.name: b
    for b in (
        Benchmark("parse", "feed snapshot parsing, orjson vs the standard library", _parse_figures),
        Benchmark("ingest", "one snapshot: vatstats vs the old ORM pattern vs a bare COPY",
                  _module_runner("bench.ingest_bench")),
        Benchmark("memory", "resident memory over many consecutive ingest ticks", _module_runner("bench.memory_bench")),
        Benchmark("storage", "compressed raw bytes vs JSON; parked positions not repeated",
                  _module_runner("bench.storage_bench")),
        Benchmark("status", "the status query on 1M / 10M position rows vs the old CROSS JOIN",
                  _module_runner("bench.status_bench")),
        Benchmark("detect", "movement detection over a day of ~1M positions (pure Python)", _detect_figures),
        Benchmark("sectors", "a 1,500-pilot day's 8.64 M points placed in 3-D sectors vs the naive per-point test",
                  _sectors_figures),
        Benchmark("backfill", "movements (and summaries) backfilled over simulated days",
                  _module_runner("bench.backfill_bench")),
        Benchmark("replay", "vatstats replay of an archive hour: batches and worker processes vs a snapshot a transaction",
                  _module_runner("bench.replay_bench")),
        Benchmark("rebuild", "rebuilding a day slice from feed_snapshots vs vatstats replay of the same snapshots",
                  _module_runner("bench.rebuild_bench")),
        Benchmark("export", "a day of tracks to Parquet: rows/s and peak memory vs pandas.read_sql",
                  _module_runner("bench.export_bench")),
        Benchmark("api", "the read API under 50 clients; keyset pages vs OFFSET over 7 simulated days",
                  _module_runner("bench.api_bench")),
        Benchmark("freshness", "snapshot to stored, through Dagster's sensor, queue and run",
                  _module_runner("bench.freshness_bench")),
        Benchmark("week", "a 7-day backfill of the daily assets launched as the UI does, beside live ingestion "
                  "(needs --week-warehouse)", _week_figures),
    )
}
# Needs `vatstats dev` for ten minutes: only in a full run, or when asked for by name.
SLOW_BENCHMARKS = ("freshness",)
# Needs a warehouse holding a week of 1,500-pilot days (an hour to make): only when asked for by name.
ON_REQUEST_BENCHMARKS = ("week",)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats bench",
        description="Run vatstats' benchmarks one after another, each in a throwaway database, and print "
        "each figure with its ratio to a baseline measured in the same run. The table is also written as "
        "JSON under bench/results/ with the commit and the machine. Benchmarks: "
        + "; ".join(f"{b.name}: {b.summary}" for b in BENCHMARKS.values()) + ".",
        epilog="examples:\n  vatstats bench --quick                 # a few minutes, freshness skipped\n"
        "  vatstats bench                         # everything, about 25 minutes\n"
        "  vatstats bench --only ingest,status --database-url postgresql://postgres@127.0.0.1:5432/postgres",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes and fewer repeats; skips freshness unless named in --only")
    parser.add_argument("--only", metavar="NAME[,NAME]",
                        help=f"run only these benchmarks ({', '.join(BENCHMARKS)})")
    parser.add_argument("--database-url", metavar="URL",
                        help="PostgreSQL server for the throwaway databases (default VATSTATS_DATABASE_URL, "
                        "else the embedded server)")
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="how long the freshness benchmark runs the Dagster stack (default 10)")
    parser.add_argument("--backfill-days", type=_day_list, metavar="N[,N]",
                        help="simulated days to backfill (default 1, with 7 extrapolated; 1,7 measures both: "
                        "over an hour of simulating and replaying)")
    parser.add_argument("--backfill-hours", type=_hour_list, metavar="H[,H]",
                        help="simulated hours to backfill instead of whole days, e.g. 6 (no week extrapolated)")
    parser.add_argument("--week-warehouse", metavar="URL",
                        help="for the week benchmark: a warehouse holding seven days of track history from "
                        "--week-start (e.g. a simulated day replayed and copied with bench/repeat_day.py)")
    parser.add_argument("--week-start", type=_day, metavar="YYYY-MM-DD", help="the first of the week's days")
    parser.add_argument("--week-pilots", type=int, default=1500, help="live pilots beside the week (default 1500)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR,
                        help="folder for the results JSON (default bench/results)")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes, to check that every benchmark runs (figures meaningless; for tests)")
    return parser


class UsageError(Exception):
    pass


def _hour_list(text: str) -> tuple[float, ...]:
    try:
        hours = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected hours like 6 or 6,24, not {text!r}") from None
    if not hours or any(h <= 0 for h in hours):
        raise argparse.ArgumentTypeError(f"expected positive hours like 6 or 6,24, not {text!r}")
    return hours


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day like 2026-11-20, not {text!r}") from None


def _day_list(text: str) -> tuple[int, ...]:
    try:
        days = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole days like 1,7, not {text!r}") from None
    if not days or any(d < 1 for d in days):
        raise argparse.ArgumentTypeError(f"expected whole days of at least 1, like 1,7, not {text!r}")
    return days


def selected(args: argparse.Namespace) -> list[Benchmark]:
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            raise UsageError(f"--only names no benchmark called {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        if "week" in names and not (args.week_warehouse and args.week_start):
            raise UsageError("the week benchmark needs --week-warehouse URL and --week-start YYYY-MM-DD: a warehouse "
                             "holding the seven days' track history")
        return [BENCHMARKS[n] for n in BENCHMARKS if n in names]
    skip_slow = args.quick or args.smoke
    return [b for b in BENCHMARKS.values()
            if b.name not in ON_REQUEST_BENCHMARKS and not (skip_slow and b.name in SLOW_BENCHMARKS)]


# ----- the record of a run ------------------------------------------------------------------------
def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(server: PostgresServer) -> dict[str, Any]:
    from bench.warehouse import server_version

    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgres": server_version(server),
        "postgres_embedded": server.is_embedded,
        # Other work on the machine moves absolute times (ratios hold): the load says how busy it was.
        "load_average_1_5_15_min": [round(x, 2) for x in os.getloadavg()],
    }


def format_figure(row: dict) -> str:
    value = row["figure"]
    if value is None:
        return "-"
    if isinstance(value, float | int) and not isinstance(value, bool):
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return f"{text} {row['unit']}".strip()


def format_ratio(row: dict) -> str:
    if row["ratio"] is None:
        return ""
    return f"{row['ratio']:,.1f}x  {row['ratio_label']}".strip()


def table(figures: list[dict]) -> str:
    rows = [("benchmark", "variant", "figure", "ratio vs baseline")]
    rows += [(r["benchmark"], r["variant"], format_figure(r), format_ratio(r)) for r in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}".rstrip() for r in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(lines)


def markdown_table(figures: list[dict]) -> str:
    lines = ["| benchmark | variant | figure | ratio vs baseline |", "|---|---|---:|---|"]
    lines += [f"| {r['benchmark']} | {r['variant']} | {format_figure(r)} | {format_ratio(r)} |" for r in figures]
    return "\n".join(lines)


def write_results(output: Path, record: dict) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = output / f"{stamp}-{record['commit'] or 'unknown'}.json"
    path.write_text(json.dumps(record, indent=2, default=str) + "\n")
    return path


# ----- the command -------------------------------------------------------------------------------
def run_suite(args: argparse.Namespace, benchmarks: list[Benchmark], server: PostgresServer) -> tuple[list[dict], dict]:
    figures: list[dict] = []
    failures: dict[str, str] = {}
    durations: dict[str, float] = {}
    for benchmark in benchmarks:
        print(f"vatstats bench: {benchmark.name}: {benchmark.summary}...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            produced = benchmark.runner(args.quick, server, args)
        except Exception as error:  # one broken benchmark must not lose the others' figures
            failures[benchmark.name] = f"{type(error).__name__}: {error}"
            print(f"vatstats bench: {benchmark.name} failed: {failures[benchmark.name]}", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            produced = []
        durations[benchmark.name] = round(time.perf_counter() - started, 1)
        figures += produced
    return figures, {"failures": failures, "durations_s": durations}


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        benchmarks = selected(args)
        from bench.warehouse import open_bench_server

        server = open_bench_server(args.database_url)
    except (UsageError, SettingsError) as error:
        print(f"vatstats bench: error: {str(error).rstrip('.')}.", file=sys.stderr)
        return 2
    started_at = datetime.now(UTC)
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    # Read before the run: the code measured is the code checked out when it started.
    commit = _git("rev-parse", "--short", "HEAD")
    tracked_changes = bool(_git("status", "--porcelain", "--untracked-files=no"))
    try:
        figures, outcome = run_suite(args, benchmarks, server)
        record = {
            "commit": commit,
            "commit_at_end": _git("rev-parse", "--short", "HEAD"),  # differs if commits landed meanwhile
            "tracked_changes": tracked_changes,
            "command": "vatstats bench " + " ".join(argv),
            "quick": args.quick,
            "smoke": args.smoke,
            "started_at": started_at.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "machine": {**machine(server), "load_average_at_start": load_at_start},
            "benchmarks": [b.name for b in benchmarks],
            **outcome,
            "figures": figures,
        }
    finally:
        server.stop()
    print()
    print(table(figures))
    path = write_results(args.output, record)
    print(f"\nwritten to {path}")
    if record["failures"]:
        print(f"vatstats bench: {len(record['failures'])} benchmark(s) failed: {', '.join(record['failures'])}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
