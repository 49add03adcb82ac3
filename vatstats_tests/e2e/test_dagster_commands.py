"""Dagster's own commands, typed in the repository root with no Dagster variable exported: they find
the instance in the root dagster.yaml and its storage through vatstats' settings (the embedded
PostgreSQL when nothing is configured)."""

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from vatstats_tests.e2e.conftest import free_port, wait_for_ui

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Never the live network from a test: a closed local port stands in for the feed.
NO_FEED = "http://127.0.0.1:9/status.json"


def root_environment(**settings: str) -> dict[str, str]:
    """The environment of a new shell in the root: no VATSTATS_* or DAGSTER_* variable but `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    env.update({"PATH": f"{BIN}:{env.get('PATH', '')}", "VIRTUAL_ENV": str(BIN.parent), "VATSTATS_FEED_URL": NO_FEED})
    env.update(settings)
    return env


def embedded_postgres_running(data_dir: Path) -> bool:
    return any(str(data_dir) in " ".join(p.info["cmdline"] or []) for p in psutil.process_iter(["name", "cmdline"])
               if p.info["name"] == "postgres")


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Short: the embedded server's unix socket lives under it.
    path = Path(f"/tmp/vs-root-{os.getpid()}")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("command", [
    ["dg", "check", "defs"],
    ["dagster", "definitions", "validate", "-m", "vatstats_assets.definitions"],
    ["dg", "list", "defs"],
])
def test_dagster_commands_work_in_the_root_with_nothing_exported(command: list[str], data_dir: Path) -> None:
    result = subprocess.run(command, cwd=REPO_ROOT, env=root_environment(VATSTATS_DATA_DIR=str(data_dir)),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    # The embedded server it started for Dagster's storage stopped with it.
    assert not embedded_postgres_running(data_dir)


GRAPHQL_SENSORS = """{ sensorsOrError(repositorySelector: {repositoryName: "__repository__",
  repositoryLocationName: "vatstats"}) { ... on Sensors { results { name sensorState { status } } } } }"""


def test_dagster_dev_in_the_root_runs_the_same_stack(database_url: str, dagster_database: str, tmp_path: Path) -> None:
    port = free_port()
    env = root_environment(VATSTATS_DATABASE_URL=database_url, VATSTATS_DAGSTER_DATABASE_NAME=dagster_database)
    with (tmp_path / "dagster-dev.log").open("wb") as log:
        process = subprocess.Popen(["dagster", "dev", "-p", str(port)], cwd=REPO_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_ui(f"http://127.0.0.1:{port}", process, 120)
        answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": GRAPHQL_SENSORS}, timeout=30).json()
        sensors = {s["name"]: s["sensorState"]["status"] for s in answer["data"]["sensorsOrError"]["results"]}
        assert {"vatsim_feed_sensor", "vatstats_automation"} <= set(sensors)
        assert set(sensors.values()) == {"RUNNING"}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        # A clean exit, however long the daemon's current evaluation takes to finish on a loaded CI machine
        # (over 60 s twice under the full suite once the coverage assets joined; 44 s with the machine quiet).
        assert process.wait(timeout=180) == 0
