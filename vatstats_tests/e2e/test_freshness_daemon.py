"""Dagster's freshness daemon judges the ingest tables by their policy, as the UI shows it: `dagster
dev` on a throwaway PostgreSQL instance, the tables' specs as its code location, the answer read
from the webserver's GraphQL (what the asset pages ask)."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import httpx
import pytest

from vatstats_assets.core.freshness import FRESHNESS_LIMIT
from vatstats_assets.storage.server import PostgresServer, ensure_database
from vatstats_tests.e2e.conftest import free_port, stop, wait_for_ui

pytestmark = pytest.mark.slow

LOCATION = """import dagster as dg
from vatstats_assets.defs.ingest.assets import ingest_snapshot

# The ingest tables as they are declared, policies included, without the code that fills them.
defs = dg.Definitions(assets=list(ingest_snapshot.specs))
"""
QUERY = "query($path: [String!]!) { assetNodes(assetKeys: [{path: $path}]) { freshnessStatusInfo { freshnessStatus } } }"


@dataclass
class Stack:
    ui_url: str
    instance: dg.DagsterInstance

    def freshness(self, asset: str) -> str | None:
        answer = httpx.post(f"{self.ui_url}/graphql", json={"query": QUERY, "variables": {"path": [asset]}}, timeout=10)
        (node,) = answer.json()["data"]["assetNodes"]
        return (node["freshnessStatusInfo"] or {}).get("freshnessStatus")

    def wait_for(self, asset: str, status: str, timeout_s: float) -> float:
        started = time.monotonic()
        while (seen := self.freshness(asset)) != status:
            assert time.monotonic() - started < timeout_s, f"{asset} stayed {seen}, not {status}"
            time.sleep(1)
        return time.monotonic() - started


@pytest.fixture(scope="module")
def stack(postgres_server: PostgresServer, dagster_database: str, tmp_path_factory) -> Iterator[Stack]:
    ensure_database(postgres_server, dagster_database)
    home: Path = tmp_path_factory.mktemp("freshness_home")
    (home / "dagster.yaml").write_text(
        f"storage:\n  postgres:\n    postgres_url: \"{postgres_server.url_for(dagster_database)}\"\n"
        "freshness:\n  enabled: true\ntelemetry:\n  enabled: false\n"
    )
    (home / "location.py").write_text(LOCATION)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    # Every second instead of every 30 s, so the test waits for the policy, not for the daemon.
    env.update(DAGSTER_HOME=str(home), FRESHNESS_DAEMON_INTERVAL_SECONDS="1")
    with (home / "dev.log").open("wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "dagster"), "dev", "-f", "location.py", "-h", "127.0.0.1",
             "-p", str(port)],
            cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        instance = dg.DagsterInstance.get()
    try:
        wait_for_ui(f"http://127.0.0.1:{port}", process, timeout_s=90)
        yield Stack(f"http://127.0.0.1:{port}", instance)
    finally:
        stop(process)
        instance.dispose()


def test_the_daemon_passes_a_fresh_table_and_fails_it_after_the_limit(stack: Stack) -> None:
    stack.instance.report_runless_asset_event(dg.AssetMaterialization(asset_key="flights"))
    stack.wait_for("flights", "HEALTHY", timeout_s=60)
    waited = stack.wait_for("flights", "DEGRADED", timeout_s=FRESHNESS_LIMIT.total_seconds() + 30)
    assert waited >= FRESHNESS_LIMIT.total_seconds() - 10
