"""How fast do movements and summaries backfill over simulated days, in position rows per second?

For each span (1 day; --quick: 2 hours; 7 days only when asked, see below):
  1. `vatstats simulate --offline DIR --hours H --pilots 1500` writes the snapshots (UTC days in the
     past, so that every day is a finished partition);
  2. `vatstats replay DIR --region global` loads them into a throwaway warehouse (timed too: this is
     ingestion's own throughput, snapshot by snapshot);
  3. `vatstats backfill ASSET --start D --end D'` for traffic_movements, then for each summary asset
     the definitions hold, each recorded in a throwaway Dagster database;
  4. in this process, track loading and detection of traffic_movements and flight_summaries on the
     same warehouse, today's columnar path against the per-point path it replaced (the baseline; see
     bench/backfill_paths.py), with their rows checked identical.
The figure is the span's flight_positions rows divided by the Dagster run's own duration
(RUN_START to RUN_SUCCESS); the command's wall time, which adds Python and Dagster start-up, is in
the details. A 7-day span takes about 7x a day to simulate and replay (over an hour on a small
machine), so by default the 7-day figure is extrapolated from the measured day (the backfill
processes a 7-day run day by day, so its time scales with the days) and labelled as such; pass
`hours=(24, 168)` (`vatstats bench --backfill-days 1,7`) to measure it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.backfill_paths import compare_paths
from bench.dagster_runs import dagster_instance, materializations, run_times
from bench.figures import figure
from bench.warehouse import throwaway_database
from vatstats_assets.storage.server import PostgresServer, drop_database

NAME = "backfill"
SEED = 7
MOVEMENTS = "traffic_movements"
SUMMARIES = ("movement_summaries", "flight_summaries", "controller_summaries", "network_daily_stats")
DAYS_BACK = 9  # the spans end well before today: a backfill refuses days in the future


def daily_assets_defined() -> list[str]:
    """traffic_movements and the summaries the definitions hold, in dependency order."""
    from vatstats_assets.definitions import defs

    partitioned = {node.key.to_user_string() for node in defs.resolve_asset_graph().asset_nodes if node.partitions_def}
    return [name for name in (MOVEMENTS, *SUMMARIES) if name in partitioned]


def _command(args: list[str], env: dict[str, str], log: Path) -> float:
    """Run `vatstats ARGS`, appending its output to `log`; seconds taken. One sentence if it fails."""
    started = time.perf_counter()
    with log.open("ab") as out:
        done = subprocess.run([sys.executable, "-m", "vatstats_assets.cli", *args], env=env, stdout=out,
                              stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1])
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-1500:]
        raise RuntimeError(f"`vatstats {' '.join(args[:2])}` exited with {done.returncode}:\n{tail}")
    return time.perf_counter() - started


def _environment(url: str, dagster_database: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    env.update({"VATSTATS_DATABASE_URL": url, "VATSTATS_DAGSTER_DATABASE_NAME": dagster_database,
                "VATSTATS_DATA_DIR": str(data_dir), "VATSTATS_REGION": "global"})
    return env


def measure_span(server: PostgresServer, hours: float, pilots: int, assets: list[str], log) -> list[dict]:
    first_day = datetime.now(UTC).date() - timedelta(days=DAYS_BACK)
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC)
    end = start + timedelta(hours=hours)
    last_day = (end - timedelta(seconds=1)).date()
    span = f"{hours / 24:g} day{'s' if hours > 24 else ''}" if hours >= 24 else f"{hours:g} hours"
    label = f"{span} x {pilots:,} pilots"
    figures = []
    with tempfile.TemporaryDirectory(prefix="vatstats-bench-backfill-") as tmp, \
            throwaway_database(server, NAME, migrated=False) as database:
        folder, data_dir, output = Path(tmp) / "snapshots", Path(tmp) / "data", Path(tmp) / "commands.log"
        dagster_database = f"{database.name}_dagster"
        env = _environment(database.url, dagster_database, data_dir)
        try:
            # The day before the span, while the warehouse is empty: a broken backfill command fails
            # here in seconds, not after the long simulate and replay.
            preflight = (first_day - timedelta(days=1)).isoformat()
            _command(["backfill", MOVEMENTS, "--start", preflight, "--end", preflight, "--quiet"], env, output)
            simulate_s = _command(["simulate", "--offline", str(folder), "--hours", f"{hours:g}", "--pilots",
                                   str(pilots), "--seed", str(SEED), "--start", start.strftime("%Y-%m-%dT%H:%M:%SZ")],
                                  env, output)
            snapshots = sum(1 for p in folder.iterdir() if p.name.endswith(".json.gz"))
            log(f"{label}: simulated {snapshots:,} snapshots in {simulate_s:.0f} s")
            replay_s = _command(["replay", str(folder), "--region", "global", "--quiet"], env, output)
            with database.engine.connect() as conn:
                positions = conn.execute(
                    sa.text("SELECT count(*) FROM vatstats.flight_positions WHERE observed_at >= :s AND observed_at < :e"),
                    {"s": start, "e": datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)},
                ).scalar()
            log(f"{label}: replayed into {positions:,} position rows in {replay_s:.0f} s")
            figures.append(figure(NAME, f"{label}: replay (ingest, setup)", snapshots / replay_s, "snapshots/s",
                                  seconds=round(replay_s, 1), snapshots=snapshots, position_rows=positions,
                                  position_rows_per_s=round(positions / replay_s), simulate_s=round(simulate_s, 1)))

            total_run_s = 0.0
            for asset in assets:
                wall_s = _command(["backfill", asset, "--start", first_day.isoformat(), "--end", last_day.isoformat(),
                                   "--quiet"], env, output)
                with dagster_instance(data_dir / "dagster_home", server.url_for(dagster_database)) as instance:
                    backfill_tag = f"{asset}:{first_day}..{last_day}"  # as the backfill command tags its runs
                    runs = [r for r in run_times(instance) if r.tags.get("vatstats/backfill") == backfill_tag]
                    run_ids = {r.run_id for r in runs}
                    detail = [m for m in materializations(instance, asset) if m["run_id"] in run_ids]
                run_s = sum(r.seconds or 0.0 for r in runs)
                total_run_s += run_s
                extra = {}
                if asset == MOVEMENTS and detail:
                    extra = {"detect_s": sum(m["metadata"].get("detect_s", 0) for m in detail),
                             "position_rows_read": sum(m["metadata"].get("position_rows_read", 0) for m in detail)}
                log(f"{label}: {asset} in {run_s:.1f} s (command {wall_s:.1f} s)")
                rate = round(positions / run_s) if run_s else None
                if asset == MOVEMENTS:  # the asset that reads every position row: its rate is the figure
                    figures.append(figure(NAME, f"{label}: {asset}", rate, "position rows/s", run_s=round(run_s, 2),
                                          command_wall_s=round(wall_s, 1), runs=len(runs), position_rows=positions,
                                          **extra))
                else:
                    figures.append(figure(NAME, f"{label}: {asset}", run_s, "s", command_wall_s=round(wall_s, 1),
                                          runs=len(runs), position_rows_per_s=rate))
            if len(assets) > 1:
                figures.append(figure(NAME, f"{label}: movements + summaries", positions / total_run_s, "position rows/s",
                                      run_s=round(total_run_s, 2), position_rows=positions, assets=assets))
            figures += compare_paths(database.engine, first_day, last_day, label, NAME, log)
        finally:
            drop_database(server, dagster_database)
    return figures


def extrapolated_week(day_figures: list[dict]) -> list[dict]:
    """A 7-day figure from the measured day: seven times the rows and the run time, same rate."""
    rows = []
    for day in day_figures:
        variant = day["variant"]
        asset = variant.split(": ", 1)[1]
        if asset not in (MOVEMENTS, "movements + summaries") or not day["details"].get("run_s"):
            continue
        rows.append(figure(NAME, f"7 days x {variant.split(' x ', 1)[1].split(':')[0]}: {asset} (extrapolated)",
                           day["figure"], "position rows/s", estimated_run_s=round(7 * day["details"]["run_s"], 1),
                           estimated_position_rows=7 * day["details"]["position_rows"],
                           note="7 x the measured day; not run"))
    return rows


def run(quick: bool, *, server: PostgresServer, hours: tuple[float, ...] | None = None, pilots: int = 1_500,
        summaries: bool = True, log=None) -> list[dict]:
    log = log or (lambda message: print(f"  [{NAME}] {message}", file=sys.stderr, flush=True))
    hours = hours or ((2,) if quick else (24,))
    assets = daily_assets_defined() if summaries else [MOVEMENTS]
    results = []
    for span_hours in hours:
        measured = measure_span(server, span_hours, pilots, assets, log)
        results += measured
        if span_hours == 24 and 168 not in hours and not quick:
            results += extrapolated_week(measured)
    return results


if __name__ == "__main__":
    from bench.suite import main

    raise SystemExit(main(["--only", NAME, *sys.argv[1:]]))
