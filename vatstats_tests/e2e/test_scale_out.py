"""End to end: the README's "Scaling out", done as it is written.

`vatstats migrate`, then a gRPC code server, the webserver and the daemon as three separate
processes on a `workspace.yaml` that points at the code server, each with DAGSTER_HOME holding a
copy of the repository's dagster.yaml and VATSTATS_DAGSTER_PG_URL set explicitly; one PostgreSQL
for the warehouse and Dagster's storage; the feed is the simulator. Everything is then checked
through the webserver's GraphQL API, as a client of the UI would: a run requested by
`vatsim_feed_sensor` succeeds, and a backfill of `traffic_movements` launched through the
webserver completes with every run succeeded.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psutil
import pytest
import sqlalchemy as sa

from vatstats_assets.sim.server import SimulatorServer
from vatstats_assets.storage.server import PostgresServer, ensure_database
from vatstats_tests.e2e.conftest import free_port

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv's console scripts: vatstats, dagster, dagster-webserver, ...
LOCATION = "vatstats"

# Every wait is bounded, together about three minutes at most; a run of the module takes about 75 s
# (startup ~10 s, the sensor's run ~10 s, the backfill ~50 s: the daemon looks at backfills every
# 30 s, once to launch its run and once to mark it complete).
MIGRATE_TIMEOUT_S = 30
STARTUP_TIMEOUT_S = 45
SENSOR_RUN_TIMEOUT_S = 45
BACKFILL_TIMEOUT_S = 90
STOP_GRACE_S = 15

T = TypeVar("T")


@dataclass
class Service:
    """One process of the deployment, in its own process group, its output in a log file."""

    name: str
    process: subprocess.Popen
    log_path: Path

    def tail(self, chars: int = 4000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"----- {self.name} (pid {self.process.pid}, exit {self.process.poll()}) -----\n{text[-chars:]}"


@dataclass
class ScaleOut:
    ui_url: str
    warehouse_url: str
    services: list[Service] = field(default_factory=list)

    def tails(self) -> str:
        return "\n".join(service.tail() for service in self.services)

    @contextmanager
    def logs_on_failure(self) -> Iterator[None]:
        """On any failure, print every process's log tail (pytest shows it with the failure)."""
        try:
            yield
        except BaseException:
            print(self.tails())
            raise

    def check_alive(self) -> None:
        for service in self.services:
            if service.process.poll() is not None:
                raise AssertionError(f"{service.name} exited with {service.process.returncode}")

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(f"{self.ui_url}/graphql", json={"query": query, "variables": variables or {}},
                              timeout=30)
        response.raise_for_status()
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]


def start(name: str, argv: list[str], env: dict[str, str], cwd: Path, logs: Path) -> Service:
    log_path = logs / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return Service(name, process, log_path)


def stop(service: Service) -> None:
    """SIGTERM the service's process group (run workers included), SIGKILL whatever outlives the grace."""
    try:
        tree = [psutil.Process(service.process.pid), *psutil.Process(service.process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    if service.process.poll() is None:
        try:
            os.killpg(service.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        service.process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        pass
    _, alive = psutil.wait_procs(tree, timeout=5)
    for process in alive:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    if service.process.poll() is None:
        service.process.kill()
        service.process.wait()


def wait_for(what: str, probe: Callable[[], T | None], timeout_s: float, stack: ScaleOut | None = None,
             interval_s: float = 1.0) -> T:
    """Call `probe` until it returns something other than None; fail naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if stack is not None:
            stack.check_alive()
        try:
            result = probe()
        except (httpx.HTTPError, OSError) as error:  # not listening yet
            last_error, result = error, None
        if result is not None:
            return result
        time.sleep(interval_s)
    raise TimeoutError(f"waited {timeout_s:.0f} s for: {what}" + (f" (last error: {last_error})" if last_error else ""))


def _drop_database(server: PostgresServer, database: str) -> None:
    admin = sa.create_engine(server.url_for("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    admin.dispose()


def _location_loaded(stack: ScaleOut) -> bool | None:
    data = stack.graphql("""
        { workspaceOrError { __typename ... on Workspace { locationEntries {
            name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }
    """)["workspaceOrError"]
    entries = {entry["name"]: entry for entry in data.get("locationEntries", [])}
    entry = entries.get(LOCATION)
    if entry is None or entry["loadStatus"] != "LOADED" or entry["locationOrLoadError"] is None:
        return None
    loaded = entry["locationOrLoadError"]
    if loaded["__typename"] == "RepositoryLocation":
        return True
    # Started together, the webserver may ask before the code server listens; it retries an
    # unreachable server by itself (every 10 s). Any other error is final.
    assert "DagsterUserCodeUnreachableError" in loaded.get("message", ""), f"the code location did not load: {loaded}"
    return None


@pytest.fixture(scope="module")
def scale_out(postgres_server: PostgresServer, dagster_database: str, tmp_path_factory) -> Iterator[ScaleOut]:
    root = tmp_path_factory.mktemp("scale_out")
    logs = root / "logs"
    logs.mkdir()
    # The folder a deployment would have: DAGSTER_HOME with the repository's dagster.yaml, and the
    # workspace.yaml the webserver and the daemon load.
    dagster_home = root / "dagster_home"
    dagster_home.mkdir()
    shutil.copyfile(REPO_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    code_port, ui_port = free_port(), free_port()
    (root / "workspace.yaml").write_text(
        "load_from:\n"
        "  - grpc_server:\n"
        "      host: 127.0.0.1\n"
        f"      port: {code_port}\n"
        f"      location_name: {LOCATION}\n"
    )
    # One PostgreSQL: a fresh warehouse database (`vatstats migrate` creates it) and an empty
    # Dagster database beside it (Dagster creates its tables, not the database).
    warehouse = f"vatstats_scale_{uuid.uuid4().hex[:8]}"
    ensure_database(postgres_server, dagster_database)
    simulator = SimulatorServer(port=0, speed=1.0, pilots=200, seed=7).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    env.update({
        "DAGSTER_HOME": str(dagster_home),
        "VATSTATS_DAGSTER_PG_URL": postgres_server.url_for(dagster_database),
        "VATSTATS_DATABASE_URL": postgres_server.url_for(warehouse),
        "VATSTATS_FEED_URL": simulator.status_url,
        "VATSTATS_REGION": "global",
    })
    stack = ScaleOut(f"http://127.0.0.1:{ui_port}", postgres_server.url_for(warehouse))
    try:
        with stack.logs_on_failure():
            migrated = subprocess.run([str(BIN / "vatstats"), "migrate"], cwd=root, env=env,
                                      capture_output=True, text=True, timeout=MIGRATE_TIMEOUT_S)
            assert migrated.returncode == 0, migrated.stdout + migrated.stderr

            stack.services.append(start("code-server", [
                str(BIN / "dagster"), "code-server", "start", "-h", "127.0.0.1", "-p", str(code_port),
                "-m", "vatstats_assets.definitions", "--location-name", LOCATION,
            ], env, root, logs))
            stack.services.append(start("webserver", [
                str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(ui_port), "-w", "workspace.yaml",
            ], env, root, logs))
            stack.services.append(start("daemon", [
                str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml",
            ], env, root, logs))

            def ui_answers() -> bool | None:
                return True if httpx.get(f"{stack.ui_url}/server_info", timeout=2).status_code == 200 else None

            started = time.monotonic()
            wait_for("the webserver to answer", ui_answers, STARTUP_TIMEOUT_S, stack)
            wait_for("the webserver to load the code location from the gRPC server",
                     lambda: _location_loaded(stack), STARTUP_TIMEOUT_S - (time.monotonic() - started), stack)
        yield stack
    finally:
        # The daemon first (no new runs), then the webserver, then the code server and its run workers.
        for service in reversed(stack.services):
            stop(service)
        simulator.stop()
        _drop_database(postgres_server, warehouse)


RUNS = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter, limit: 50) {
    __typename
    ... on Runs { results { runId status tags { key value } } }
    ... on Error { message }
  }
}
"""


def test_the_feed_sensor_requests_an_ingest_run_that_succeeds(scale_out: ScaleOut) -> None:
    sensor_runs = {"pipelineName": "ingest_job",
                   "tags": [{"key": "dagster/sensor_name", "value": "vatsim_feed_sensor"}]}

    def succeeded_run() -> dict | None:
        result = scale_out.graphql(RUNS, {"filter": sensor_runs})["runsOrError"]
        assert result["__typename"] == "Runs", result
        failed = [run["runId"] for run in result["results"] if run["status"] in ("FAILURE", "CANCELED")]
        assert not failed, f"sensor-requested ingest runs failed: {failed}"
        done = [run for run in result["results"] if run["status"] == "SUCCESS"]
        return done[0] if done else None

    with scale_out.logs_on_failure():
        wait_for("a sensor-requested ingest_job run to succeed", succeeded_run, SENSOR_RUN_TIMEOUT_S, scale_out)
        # The run (started by the code server) wrote into the warehouse VATSTATS_DATABASE_URL names.
        engine = sa.create_engine(scale_out.warehouse_url, poolclass=sa.NullPool)
        try:
            with engine.connect() as conn:
                snapshots, flights = conn.execute(sa.text(
                    "SELECT (SELECT count(*) FROM vatstats.feed_snapshots), (SELECT count(*) FROM vatstats.flights)"
                )).one()
        finally:
            engine.dispose()
        assert snapshots >= 1
        assert flights > 0


LAUNCH_BACKFILL = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}
"""

BACKFILL = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      status numPartitions partitionNames
      error { message }
      runs { runId status }
    }
    ... on Error { message }
  }
}
"""

MATERIALIZATIONS = """
query Materializations($partitions: [String!]) {
  assetOrError(assetKey: {path: ["traffic_movements"]}) {
    __typename
    ... on Asset { assetMaterializations(partitions: $partitions) { partition runId } }
  }
}
"""

BACKFILL_SUCCEEDED = ("COMPLETED", "COMPLETED_SUCCESS")
BACKFILL_FAILED = ("FAILED", "COMPLETED_FAILED", "CANCELED", "CANCELING", "FAILING")


def test_a_backfill_launched_through_the_webserver_completes(scale_out: ScaleOut) -> None:
    today = datetime.now(UTC).date()
    days = [(today - timedelta(days=1)).isoformat(), today.isoformat()]
    with scale_out.logs_on_failure():
        # What the UI's "Materialize…" on traffic_movements' Partitions tab sends for a selected range.
        launched = scale_out.graphql(LAUNCH_BACKFILL, {"params": {
            "partitionsByAssets": [{
                "assetKey": {"path": ["traffic_movements"]},
                "partitions": {"range": {"start": days[0], "end": days[1]}},
            }],
            "title": "scale-out test",
        }})["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        backfill_id = launched["backfillId"]

        def finished() -> dict | None:
            backfill = scale_out.graphql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"]
            assert backfill["__typename"] == "PartitionBackfill", backfill
            assert backfill["status"] not in BACKFILL_FAILED, backfill
            return backfill if backfill["status"] in BACKFILL_SUCCEEDED else None

        backfill = wait_for(f"backfill {backfill_id} to complete", finished, BACKFILL_TIMEOUT_S, scale_out)
        assert backfill["error"] is None, backfill
        assert backfill["runs"], backfill
        assert {run["status"] for run in backfill["runs"]} == {"SUCCESS"}, backfill
        backfill_runs = {run["runId"] for run in backfill["runs"]}
        asset = scale_out.graphql(MATERIALIZATIONS, {"partitions": days})["assetOrError"]
        assert asset["__typename"] == "Asset", asset
        materialized = {event["partition"] for event in asset["assetMaterializations"]
                        if event["runId"] in backfill_runs}
        assert materialized == set(days), asset
