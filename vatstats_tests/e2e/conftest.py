"""`vatstats dev --simulate` as a user starts it: the UI, the daemon and the simulator together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from vatstats_assets.storage.server import PostgresServer

STARTUP_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DevStack:
    process: subprocess.Popen
    ui_url: str
    engine: sa.Engine
    log_path: Path
    api_url: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]


def wait_for_ui(url: str, process: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"vatstats dev exited early with {process.returncode}")
        try:
            if httpx.get(f"{url}/server_info", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise TimeoutError(f"the Dagster UI did not answer at {url} within {timeout_s} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def running_dev_stack(database_url: str, dagster_database: str, data_dir: Path) -> Iterator[DevStack]:
    """`vatstats dev --simulate` in its own process group, with its UI answering; stopped afterwards."""
    port, api_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    env.update({
        "VATSTATS_DATABASE_URL": database_url,
        "VATSTATS_DAGSTER_DATABASE_NAME": dagster_database,
        "VATSTATS_DATA_DIR": str(data_dir),
        "VATSTATS_REGION": "global",
    })
    log_path = data_dir / "dev.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "vatstats_assets.cli", "dev", "--simulate", "--port", str(port),
             "--api-port", str(api_port), "--pilots", "200", "--speed", "1"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    stack = DevStack(process, f"http://127.0.0.1:{port}", sa.create_engine(database_url), log_path,
                     f"http://127.0.0.1:{api_port}")
    try:
        wait_for_ui(stack.ui_url, process, STARTUP_TIMEOUT_S)
        yield stack
    finally:
        stop(process)
        stack.engine.dispose()
    left = processes_with_data_dir(data_dir)
    assert not left, f"the stopped stack left processes running: {left}"


def processes_with_data_dir(data_dir: Path) -> list[str]:
    """The command lines of running processes whose environment names this data folder: everything
    the stack started inherits it, so nothing may have it once the stack is stopped."""
    wanted = f"VATSTATS_DATA_DIR={data_dir}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and wanted in (proc / "environ").read_bytes().split(b"\0"):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


@pytest.fixture(scope="module")
def dev_stack(
    postgres_server: PostgresServer, database_url: str, dagster_database: str, tmp_path_factory
) -> Iterator[DevStack]:
    with running_dev_stack(database_url, dagster_database, tmp_path_factory.mktemp("dev")) as stack:
        yield stack
