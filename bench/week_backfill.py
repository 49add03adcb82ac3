"""A week's backfill launched the way the UI launches one, while live ingestion runs beside it.

`python -m bench.week_backfill --database-url URL --start 2026-11-20 --end 2026-11-26` starts
`vatstats dev --simulate` on the warehouse URL (which must hold the days' track history, e.g. one
simulated day replayed and repeated with bench/repeat_day.py), with its own data folder and Dagster
database, the live feed at --pilots pilots. Once ingestion has run --baseline minutes it launches an
asset backfill of the days for the daily assets (the UI's "Materialize" on a range: GraphQL
launchPartitionBackfill, so the daemon runs it with the backfill policy and the run limits of
dagster.yaml), waits for it to finish and stops the stack. Reported:
- the backfill: wall time from launch to its last run's end, its runs, how many ran at once, the
  days per hour;
- ingestion before and during it: per snapshot, stored_at - update_timestamp (from the feed's
  timestamp to its row being written), median, 95th percentile and maximum, and the snapshots the
  feed published that were never stored.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from statistics import median, quantiles

import httpx
import sqlalchemy as sa

from bench.dagster_runs import dagster_instance, run_times
from bench.figures import figure, ratio
from bench.freshness_bench import ProcessTree, free_port, wait_for
from vatstats_assets.commands.dev import BACKFILL_TAG
from vatstats_assets.storage.engine import create_warehouse_engine
from vatstats_assets.storage.server import PostgresServer

DAILY_ASSETS = ("traffic_movements", "atc_contacts", "coverage_hourly", "movement_summaries",
                "flight_summaries", "controller_summaries", "network_daily_stats")
LAUNCH = """mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message }
  ... on PartitionKeysNotFoundError { message } ... on UnauthorizedError { message } } }"""
STATUS = """query($id: String!) { partitionBackfillOrError(backfillId: $id) {
  __typename ... on PartitionBackfill { status } ... on PythonError { message } } }"""
UNFINISHED = {"REQUESTED", "CANCELING"}
SUCCEEDED = {"COMPLETED", "COMPLETED_SUCCESS"}
RUNS = """query($id: String!, $tag: String!) { runsOrError(filter: {tags: [{key: $tag, value: $id}]}) {
  __typename ... on Runs { results { runId status } } } }"""
RUN_ENDED = {"SUCCESS", "FAILURE", "CANCELED"}
SNAPSHOT_INTERVAL_S = 15


def graphql(port: int, query: str, variables: dict) -> dict:
    response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query, "variables": variables},
                          timeout=60)
    response.raise_for_status()
    return response.json()["data"]


def ingest_figures(engine: sa.Engine, start: float, end: float) -> dict:
    """Lag from the feed's timestamp to the row being stored, and snapshots never stored, in [start, end)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT extract(epoch FROM update_timestamp) AS published, extract(epoch FROM stored_at - update_timestamp) AS lag"
            " FROM vatstats.feed_snapshots WHERE update_timestamp >= to_timestamp(:start)"
            " AND update_timestamp < to_timestamp(:end) ORDER BY update_timestamp"), {"start": start, "end": end}).all()
    lags = [float(r.lag) for r in rows]
    if len(lags) < 2:
        return {"snapshots": len(lags)}
    published = round((float(rows[-1].published) - float(rows[0].published)) / SNAPSHOT_INTERVAL_S) + 1
    return {"snapshots": len(lags), "missed": published - len(lags), "median_s": round(median(lags), 1),
            "p95_s": round(quantiles(lags, n=20)[-1], 1), "max_s": round(max(lags), 1)}


def most_at_once(runs) -> int:
    edges = sorted([(r.started, 1) for r in runs if r.started] + [(r.ended, -1) for r in runs if r.ended])
    now = peak = 0
    for _, step in edges:
        now += step
        peak = max(peak, now)
    return peak


@dataclass(frozen=True)
class WeekBackfill:
    days: list[str]
    status: str
    wall_s: float
    runs: list  # bench.dagster_runs.RunTime of the backfill's runs
    alone: dict  # ingest_figures before the backfill
    during: dict  # ingest_figures while it ran


def measure(database_url: str, start: date, end: date, *, pilots: int = 1500, baseline_minutes: float = 3.0
            ) -> WeekBackfill:
    """Run the stack on the warehouse, backfill start..end beside live ingestion, and measure both."""
    args = argparse.Namespace(database_url=database_url, start=start, end=end, pilots=pilots,
                              baseline=baseline_minutes)
    days = [(args.start + timedelta(days=i)).isoformat() for i in range((args.end - args.start).days + 1)]
    dagster_database = f"vatstats_bench_week_{os.getpid()}"
    engine = create_warehouse_engine(args.database_url)
    with tempfile.TemporaryDirectory(prefix="vatstats-bench-week-") as tmp:
        data_dir, log_path, port = Path(tmp) / "data", Path(tmp) / "dev.log", free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
        env.update({"VATSTATS_DATABASE_URL": args.database_url, "VATSTATS_DAGSTER_DATABASE_NAME": dagster_database,
                    "VATSTATS_DATA_DIR": str(data_dir), "VATSTATS_REGION": "global"})
        with log_path.open("wb") as out:
            stack = subprocess.Popen(
                [sys.executable, "-m", "vatstats_assets.cli", "dev", "--simulate", "--pilots", str(args.pilots),
                 "--port", str(port), "--api-port", "0"],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                cwd=Path(__file__).resolve().parents[1])
        tree = ProcessTree(stack)
        try:
            live_from = time.time()

            def stored_since_start() -> int:
                with engine.connect() as conn:
                    return conn.execute(sa.text("SELECT count(*) FROM vatstats.feed_snapshots"
                                                " WHERE update_timestamp >= to_timestamp(:t)"), {"t": live_from}).scalar()

            wait_for(stored_since_start, 300, "live snapshot stored", stack, tree, log_path)
            baseline_from = time.time()
            wait_for(lambda: time.time() - baseline_from >= args.baseline * 60, args.baseline * 60 + 30,
                     "end of the baseline", stack, tree, log_path)
            launched = time.time()
            answer = graphql(port, LAUNCH, {"params": {
                "partitionNames": days, "assetSelection": [{"path": [name]} for name in DAILY_ASSETS]}})
            result = answer["launchPartitionBackfill"]
            if "backfillId" not in result:
                raise RuntimeError(f"the backfill was not launched: {result}")
            backfill_id = result["backfillId"]
            print(f"backfill {backfill_id} of {days[0]}..{days[-1]} launched", file=sys.stderr)

            def finished() -> str | None:
                status = graphql(port, STATUS, {"id": backfill_id})["partitionBackfillOrError"]
                return None if status.get("status") in UNFINISHED else str(status.get("status") or status)

            status = wait_for(finished, 4 * 3600, "end of the backfill", stack, tree, log_path)

            def runs_ended() -> bool:  # the backfill is done once its days are: its last run may still be closing
                runs = graphql(port, RUNS, {"id": backfill_id, "tag": BACKFILL_TAG})["runsOrError"].get("results", [])
                return all(run["status"] in RUN_ENDED for run in runs)

            wait_for(runs_ended, 600, "end of the backfill's runs", stack, tree, log_path)
            done = time.time()
        finally:
            tree.collect()
            if stack.poll() is None:
                os.killpg(stack.pid, signal.SIGTERM)
            try:
                stack.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(stack.pid, signal.SIGKILL)
                stack.wait()
        server_url = args.database_url.rsplit("/", 1)[0] + f"/{dagster_database}"
        with dagster_instance(data_dir / "dagster_home", server_url) as instance:
            runs = [r for r in run_times(instance) if r.tags.get(BACKFILL_TAG) == backfill_id]
            for run in runs:
                if run.status != "SUCCESS":
                    for record in instance.get_records_for_run(run.run_id).records:
                        event = record.event_log_entry
                        if event.is_dagster_event and event.dagster_event.is_failure:
                            print(f"run {run.run_id} {run.status}: {event.dagster_event.message}", file=sys.stderr)
    ended = max((r.ended for r in runs if r.ended), default=done)
    result = WeekBackfill(days, str(status), ended - launched, runs,
                          ingest_figures(engine, baseline_from, launched), ingest_figures(engine, launched, ended))
    engine.dispose()
    server = sa.create_engine(args.database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{dagster_database}" WITH (FORCE)'))
    server.dispose()
    return result


def run(quick: bool, *, server: PostgresServer, warehouse_url: str, start: date, pilots: int = 1500) -> list[dict]:
    """The suite's figures (bench/suite.py `--only week`): the week's backfill, and ingestion's lag
    while it ran against ingestion alone, in the same run. `server` is unused: the week is read
    from `warehouse_url`, which must hold it."""
    week = measure(warehouse_url, start, start + timedelta(days=6), pilots=pilots)
    if week.status not in SUCCEEDED or any(run.status != "SUCCESS" for run in week.runs):
        raise RuntimeError(f"the backfill did not succeed: {week.status}, runs {sorted({r.status for r in week.runs})}")
    alone, during = week.alone, week.during
    slice_ = f"{week.days[0]}..{week.days[-1]}, {len(DAILY_ASSETS)} daily assets, beside live ingestion of {pilots:,} pilots"
    lag = {"ratio_label": "ingest lag during / alone"}
    return [
        figure("week", f"{slice_}: backfill wall time", round(week.wall_s), "s", runs=len(week.runs),
               most_at_once=most_at_once(week.runs), days_per_hour=round(len(week.days) * 3600 / week.wall_s),
               target="a 7-day backfill actually run, never starving live ingestion (issue #16)"),
        figure("week", "ingest lag (update_timestamp to stored), median, during the backfill", during["median_s"], "s",
               ratio=ratio(during["median_s"], alone["median_s"]), **lag, alone_s=alone["median_s"]),
        figure("week", "ingest lag, 95th percentile, during the backfill", during["p95_s"], "s",
               ratio=ratio(during["p95_s"], alone["p95_s"]), **lag, alone_s=alone["p95_s"]),
        figure("week", "snapshots never stored during the backfill", during["missed"], "snapshots",
               of=during["snapshots"] + during["missed"], alone=alone["missed"]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.week_backfill", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the warehouse holding the days (postgresql+psycopg2://...)")
    parser.add_argument("--start", required=True, type=date.fromisoformat)
    parser.add_argument("--end", required=True, type=date.fromisoformat)
    parser.add_argument("--pilots", type=int, default=1500, help="live simulated pilots (default 1500)")
    parser.add_argument("--baseline", type=float, default=3.0, help="minutes of ingestion alone first (default 3)")
    args = parser.parse_args(argv)
    week = measure(args.database_url, args.start, args.end, pilots=args.pilots, baseline_minutes=args.baseline)
    runs = week.runs
    print(f"status: {week.status}")
    print(f"backfill: {len(week.days)} days x {len(DAILY_ASSETS)} assets in {week.wall_s:.0f} s"
          f" ({len(week.days) * 3600 / week.wall_s:.0f} days/h);"
          f" {len(runs)} runs ({sorted({r.status for r in runs})}), at most {most_at_once(runs)} at once;"
          f" run seconds {[round(r.seconds or 0) for r in runs]}")
    print(f"ingestion alone ({args.baseline:g} min): {week.alone}")
    print(f"ingestion during the backfill: {week.during}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
