"""How fresh is the warehouse through Dagster as deployed: sensor, run queue, run worker, IO manager?

Starts `vatstats dev --simulate --speed 1 --pilots 600` (its own process group, its own throwaway
warehouse and Dagster databases and data folder, region global), lets it run for `minutes` (10 by
default) after the first snapshot is stored, then stops it with SIGTERM and checks that every
process it started has gone, its ports are closed and no connection to its databases is left.

For every snapshot stored, from Dagster's own storage and the warehouse:
  (a) sensor tick -> stored: from the ingest run's creation (the instant the daemon turned the sensor
      tick's RunRequest into a queued run) to the commit of the tick's transaction;
  (b) appearance -> stored: from the instant the simulator began serving the snapshot to the commit.
      This adds the polling phase: the sensor checks once a snapshot is due (1 s after it should
      be out), so (b) is about (a) plus a second or so (`median_appeared_to_run_requested_s`).
"Stored" is the timestamp of the run's ASSET_MATERIALIZATION event for flight_positions: the IO
manager commits the step's one transaction while handling that last output, and Dagster records
the event right after, so it trails the commit by milliseconds. (feed_snapshots.stored_at is the
clock when its row was inserted, before the other three tables are written and committed, and
RUN_SUCCESS comes after the run's own bookkeeping; both are kept in the details for comparison.)
The simulator publishes a snapshot when its simulated clock reaches the snapshot's update_timestamp;
at --speed 1 that clock follows the wall clock, and rather than assume it, the constant offset
between the two is measured at start by watching two snapshot changes on the simulator (10
requests a second for about 30 s: a local process, not the real feed).
Also reported: whether any ingest run waited in the queue while another ingest run was in progress,
and how many of the simulator's snapshots were never stored (between the first and last stored).

Traffic: the simulator counts every response by path and status with its body bytes (`/stats`).
The counters are read when the measuring window opens and when it closes (so the clock-offset
probing above is left out), and the difference is divided by the snapshots stored in between:
data requests per snapshot by status (206: the sensor's 2 KB check, 304: a check that found
nothing new, 200: a full download), and all body bytes served, status.json included, in full
bodies (the mean size of a 200 on the data URL in the window). One full body per snapshot is
the floor; the target is 1.05. Response headers are not counted (a few hundred bytes each).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import httpx
import psutil
import sqlalchemy as sa

from bench.dagster_runs import RunTimes, dagster_instance, materializations, run_times
from bench.figures import figure, median, percentile
from bench.warehouse import throwaway_database
from vatstats_assets.core.feed import FeedFormatError, peek_update_timestamp
from vatstats_assets.storage.server import PostgresServer, drop_database

NAME = "freshness"
PILOTS = 600
STARTUP_TIMEOUT_S = 240
STOP_TIMEOUT_S = 90
INGEST_JOB = "ingest_job"
SNAPSHOT_INTERVAL_S = 15
DATA_PATH = "/v3/vatsim-data.json"
STAMP_TAG = "vatstats/update_timestamp"  # the sensor's run key, as a tag on each ingest run
COMMITTED_BY = "flight_positions"  # the ingest step's last output: its handling commits the transaction
SIM_URL = re.compile(r"simulated feed at (http://\S+/status\.json)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class ProcessTree:
    """Every process seen under the stack's root, kept by (pid, creation time) so reuse is not confused."""

    root: subprocess.Popen
    seen: dict[int, float] = field(default_factory=dict)

    def collect(self) -> None:
        try:
            for child in psutil.Process(self.root.pid).children(recursive=True):
                try:
                    self.seen.setdefault(child.pid, child.create_time())
                except psutil.NoSuchProcess:
                    pass
        except psutil.NoSuchProcess:
            pass

    def alive(self) -> list[str]:
        left = []
        for pid, created in self.seen.items():
            try:
                process = psutil.Process(pid)
                if process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE:
                    left.append(f"{pid} {' '.join(process.cmdline()[:4])}")
            except psutil.NoSuchProcess:
                continue
        return left


def wait_for(condition, timeout_s: float, what: str, stack: subprocess.Popen, tree: ProcessTree, log_path: Path):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        tree.collect()
        if stack.poll() is not None:
            raise RuntimeError(f"vatstats dev exited with {stack.returncode} before {what}:\n{_tail(log_path)}")
        value = condition()
        if value:
            return value
        time.sleep(1)
    raise TimeoutError(f"no {what} within {timeout_s:.0f} s:\n{_tail(log_path)}")


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-2000:] if path.exists() else ""


def clock_offset(status_url: str, timeout_s: float = 40) -> tuple[float, float]:
    """(wall - simulated) seconds, and its uncertainty, from the first two snapshot changes watched."""
    data_url = status_url.replace("/status.json", "/v3/vatsim-data.json")
    bounds: list[tuple[float, float]] = []
    previous, previous_seen_at = None, None
    deadline = time.time() + timeout_s
    with httpx.Client(timeout=5, headers={"Accept-Encoding": "gzip"}) as client:
        while time.time() < deadline and len(bounds) < 2:
            asked_at = time.time()
            try:
                update_timestamp = peek_update_timestamp(client.get(data_url).content).timestamp()
            except (httpx.HTTPError, FeedFormatError):
                time.sleep(0.1)
                continue
            if previous is not None and update_timestamp != previous:
                # It changed between the last request that saw the old one and this request.
                bounds.append((previous_seen_at - update_timestamp, asked_at - update_timestamp))
            if update_timestamp != previous:
                previous = update_timestamp
            previous_seen_at = asked_at
            time.sleep(0.1)
    if not bounds:
        raise RuntimeError("the simulator's snapshot never changed while the clock offset was measured")
    low = max(b[0] for b in bounds)
    high = min(b[1] for b in bounds)
    return (low + high) / 2, (high - low) / 2


def waited_behind_another(run: RunTimes, others: list[RunTimes]) -> bool:
    """Was another ingest run executing at some point while `run` sat in the queue?"""
    if run.started is None:
        return False
    return any(
        other.run_id != run.run_id and other.started is not None and other.started < run.started
        and (other.ended or run.started) > run.created
        for other in others
    )


def leftover_connections(engine: sa.Engine, databases: list[str]) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = ANY(:names) AND pid <> pg_backend_pid()"),
            {"names": databases},
        ).scalar()


def served(status_url: str) -> dict[str, dict[str, dict[str, int]]]:
    """The simulator's traffic counters: {path: {status: {"requests": n, "bytes": body bytes}}}."""
    return httpx.get(status_url.replace("/status.json", "/stats"), timeout=5).json()


def traffic_figures(before: dict, after: dict, snapshots: int) -> list[dict]:
    """Requests and bytes served per stored snapshot, from the counters at the window's two ends."""
    def delta(path: str, status: str, what: str) -> int:
        return after.get(path, {}).get(status, {}).get(what, 0) - before.get(path, {}).get(status, {}).get(what, 0)

    paths = set(before) | set(after)
    statuses = {path: set(before.get(path, {})) | set(after.get(path, {})) for path in paths}
    requests = {status: delta(DATA_PATH, status, "requests") for status in sorted(statuses.get(DATA_PATH, ()))}
    all_bytes = sum(delta(path, status, "bytes") for path in paths for status in statuses[path])
    full = delta(DATA_PATH, "200", "bytes") / requests["200"] if requests.get("200") else None
    if not snapshots or not full:
        raise RuntimeError(f"no snapshot stored or no full download in the window: {requests}")
    per_snapshot = {status: round(count / snapshots, 3) for status, count in requests.items()}
    return [
        figure(NAME, "bytes served per stored snapshot, in full bodies", all_bytes / full / snapshots, "bodies",
               target="<= 1.05", snapshots=snapshots, full_body_bytes=round(full), bytes_served=all_bytes,
               status_json_requests=delta("/status.json", "200", "requests")),
        figure(NAME, "data URL requests per stored snapshot", sum(requests.values()) / snapshots, "requests",
               by_status=per_snapshot, note="200: the run's full download; 206: the sensor's check of the "
               "first 2 KB; 304: a check that found no new snapshot"),
    ]


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": median(values), "p95": percentile(values, 0.95), "max": max(values)}


def run(quick: bool, *, server: PostgresServer, minutes: float = 10.0, pilots: int = PILOTS, log=None) -> list[dict]:
    log = log or (lambda message: print(f"  [{NAME}] {message}", file=sys.stderr, flush=True))
    with tempfile.TemporaryDirectory(prefix="vatstats-bench-fresh-") as tmp, \
            throwaway_database(server, NAME, migrated=False) as database:
        dagster_database = f"{database.name}_dagster"
        data_dir, log_path = Path(tmp) / "data", Path(tmp) / "dev.log"
        ui_port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
        env.update({"VATSTATS_DATABASE_URL": database.url, "VATSTATS_DAGSTER_DATABASE_NAME": dagster_database,
                    "VATSTATS_DATA_DIR": str(data_dir), "VATSTATS_REGION": "global"})
        try:
            with log_path.open("wb") as out:
                stack = subprocess.Popen(
                    [sys.executable, "-m", "vatstats_assets.cli", "dev", "--simulate", "--speed", "1",
                     "--pilots", str(pilots), "--port", str(ui_port)],
                    env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                    cwd=Path(__file__).resolve().parents[1],
                )
            tree = ProcessTree(stack)
            try:
                status_url = wait_for(lambda: (m := SIM_URL.search(_tail(log_path))) and m.group(1),
                                      60, "simulator", stack, tree, log_path)
                offset, uncertainty = clock_offset(status_url)
                log(f"simulator at {status_url}; its clock is {offset:+.2f} s (+/- {uncertainty:.2f}) behind the wall")

                def stored_count() -> int:
                    with database.engine.connect() as conn:
                        if conn.exec_driver_sql("SELECT to_regclass('vatstats.feed_snapshots')").scalar() is None:
                            return 0
                        return conn.exec_driver_sql("SELECT count(*) FROM vatstats.feed_snapshots").scalar()

                wait_for(stored_count, STARTUP_TIMEOUT_S, "snapshot stored", stack, tree, log_path)
                measure_from = time.time()
                stored_at_start, traffic_at_start = stored_count(), served(status_url)
                log(f"first snapshot stored; measuring for {minutes:g} minutes")
                wait_for(lambda: time.time() - measure_from >= minutes * 60, minutes * 60 + 30,
                         "end of the measuring window", stack, tree, log_path)
                stored_before_stop, traffic_at_end = stored_count(), served(status_url)
            finally:
                tree.collect()
                stop_started = time.monotonic()
                if stack.poll() is None:
                    stack.send_signal(signal.SIGTERM)
                try:
                    stack.wait(timeout=STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    os.killpg(stack.pid, signal.SIGKILL)
                    stack.wait()
                stop_s = time.monotonic() - stop_started
            time.sleep(2)  # let the server notice closed sockets before counting connections
            leftovers = tree.alive()
            ports_left = [p for p in (ui_port, int(status_url.rsplit(":", 1)[1].split("/")[0])) if port_open(p)]
            connections_left = leftover_connections(database.engine, [database.name, dagster_database])

            with dagster_instance(data_dir / "dagster_home", server.url_for(dagster_database)) as instance:
                all_runs = run_times(instance)
                stored_events = materializations(instance, COMMITTED_BY)
            with database.engine.connect() as conn:
                snapshots = {
                    row.update_timestamp.timestamp(): row
                    for row in conn.execute(sa.text(
                        "SELECT update_timestamp, fetched_at, stored_at FROM vatstats.feed_snapshots"))
                }
            database.engine.dispose()
        finally:
            drop_database(server, dagster_database)

    ingest_runs = [r for r in all_runs if r.job_name == INGEST_JOB]
    by_id = {r.run_id: r for r in ingest_runs}
    tick_to_stored, appear_to_stored, queue_s, execute_s, poll_s, via_stored_at, via_run_end = [], [], [], [], [], [], []
    for event in stored_events:
        run_record = by_id.get(event["run_id"])
        stamp = event["metadata"].get("update_timestamp")
        if run_record is None or not stamp:
            continue
        update_epoch = datetime.fromisoformat(stamp).timestamp()
        appeared = update_epoch + offset
        tick_to_stored.append(event["timestamp"] - run_record.created)
        appear_to_stored.append(event["timestamp"] - appeared)
        if run_record.started:
            queue_s.append(run_record.started - run_record.created)
            execute_s.append(event["timestamp"] - run_record.started)
        if run_record.ended:
            via_run_end.append(run_record.ended - run_record.created)
        row = snapshots.get(update_epoch)
        if row is not None:
            poll_s.append(row.fetched_at.timestamp() - appeared)
            via_stored_at.append(row.stored_at.timestamp() - run_record.created)
    if not tick_to_stored:
        raise RuntimeError("no ingest run stored a snapshot while the stack ran")

    # How long after a snapshot appeared the sensor asked for its run (from the run key's tag), and how
    # many runs found and stored a newer snapshot than the one they were asked for.
    requested_s = [r.created - (datetime.fromisoformat(r.tags[STAMP_TAG]).timestamp() + offset)
                   for r in ingest_runs if r.tags.get(STAMP_TAG)]
    stored_newer = sum(
        1 for event in stored_events
        if (r := by_id.get(event["run_id"])) and r.tags.get(STAMP_TAG)
        and event["metadata"].get("update_timestamp")
        and datetime.fromisoformat(event["metadata"]["update_timestamp"]) > datetime.fromisoformat(r.tags[STAMP_TAG])
    )
    behind = [r.run_id for r in ingest_runs if waited_behind_another(r, ingest_runs)]
    stamps = sorted(snapshots)
    created = sorted(r.created for r in ingest_runs)
    run_gaps = [later - earlier for earlier, later in pairwise(created)]
    published = round((stamps[-1] - stamps[0]) / SNAPSHOT_INTERVAL_S) + 1  # between the first and last stored
    statuses: dict[str, int] = {}
    for r in all_runs:
        key = f"{r.job_name}:{r.status}"
        statuses[key] = statuses.get(key, 0) + 1
    a, b = _stats(tick_to_stored), _stats(appear_to_stored)
    common = {"snapshots": len(tick_to_stored), "minutes": minutes, "pilots": pilots}
    label_a, label_b = "(a) sensor tick -> stored", "(b) appears at simulator -> stored"
    results = [
        figure(NAME, f"{label_a}: median", a["median"], "s", target="<= 5 s", **common,
               first_snapshot_s=round(tick_to_stored[0], 2),
               median_queued_to_started_s=round(median(queue_s), 2) if queue_s else None,
               median_started_to_stored_s=round(median(execute_s), 2) if execute_s else None,
               median_by_feed_snapshots_stored_at_s=round(median(via_stored_at), 2) if via_stored_at else None,
               median_by_run_end_s=round(median(via_run_end), 2) if via_run_end else None),
        figure(NAME, f"{label_a}: 95th percentile", a["p95"], "s", target="< 15 s"),
        figure(NAME, f"{label_a}: maximum", a["max"], "s"),
        figure(NAME, f"{label_b}: median", b["median"], "s",
               median_appeared_to_fetched_s=round(median(poll_s), 2) if poll_s else None,
               median_appeared_to_run_requested_s=round(median(requested_s), 2) if requested_s else None,
               runs_that_stored_a_newer_snapshot_than_requested=stored_newer,
               clock_offset_s=round(offset, 3), clock_offset_uncertainty_s=round(uncertainty, 3)),
        figure(NAME, f"{label_b}: 95th percentile", b["p95"], "s"),
        figure(NAME, f"{label_b}: maximum", b["max"], "s"),
        figure(NAME, "ingest runs that queued behind another ingest run", len(behind), f"of {len(ingest_runs)}",
               target="0 (no backlog)", run_ids=behind[:10], runs_by_job_and_status=statuses,
               snapshots_stored_before_stop=stored_before_stop),
        figure(NAME, "snapshots never stored (the sensor's 15 s drifted past them)", published - len(stamps),
               f"of {published}", median_s_between_sensor_runs=round(median(run_gaps), 2) if run_gaps else None,
               note="the sensor polls every 15 s plus its own run time, so its phase drifts"
               " against the feed's 15 s cadence and now and then skips one snapshot"),
        figure(NAME, "processes, ports, connections left after SIGTERM",
               len(leftovers) + len(ports_left) + connections_left, "", stop_s=round(stop_s, 1),
               processes_tracked=len(tree.seen), processes_left=leftovers, ports_left=ports_left,
               connections_left=connections_left, target="0"),
        *traffic_figures(traffic_at_start, traffic_at_end, stored_before_stop - stored_at_start),
    ]
    return results


if __name__ == "__main__":
    from bench.suite import main

    raise SystemExit(main(["--only", NAME, *sys.argv[1:]]))
