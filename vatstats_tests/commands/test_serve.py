"""`vatstats serve` as a user starts it: it answers over HTTP as the read-only role, and a busy port or a
bad setting stops it in one sentence with a non-zero exit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from vatstats_tests.conftest import TEST_READER_PASSWORD
from vatstats_tests.test_cli_errors import assert_one_sentence, vatstats


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_environment(database_url: str, data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VATSTATS_")}
    # The role is the server's, shared by every test database: keep the tests' password.
    env.update({"VATSTATS_DATABASE_URL": database_url, "VATSTATS_DATA_DIR": data_dir,
                "VATSTATS_READER_PASSWORD": TEST_READER_PASSWORD, "VATSTATS_API_POOL_SIZE": "2"})
    return env


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def test_a_busy_port_stops_serve_in_one_sentence(busy_port: int, tmp_path) -> None:
    result = vatstats("serve", "--port", str(busy_port), env={"VATSTATS_DATA_DIR": str(tmp_path)})
    assert_one_sentence(result, f"cannot listen on 127.0.0.1:{busy_port}", "--port")


def test_a_port_out_of_range_stops_serve_in_one_sentence(tmp_path) -> None:
    assert_one_sentence(vatstats("serve", "--port", "70000", env={"VATSTATS_DATA_DIR": str(tmp_path)}), "--port")


def test_a_bad_pool_setting_stops_serve_in_one_sentence(tmp_path) -> None:
    result = vatstats("serve", env={"VATSTATS_API_POOL_SIZE": "none", "VATSTATS_DATA_DIR": str(tmp_path)})
    assert_one_sentence(result, "VATSTATS_API_POOL_SIZE")


def test_an_unreachable_read_database_stops_serve_in_one_sentence(tmp_path) -> None:
    result = vatstats("serve", "--port", str(free_port()), env={
        "VATSTATS_READ_DATABASE_URL": "postgresql://nobody:secret@127.0.0.1:1/x", "VATSTATS_DATA_DIR": str(tmp_path)})
    assert_one_sentence(result, "cannot reach", "127.0.0.1:1")
    assert "secret" not in result.stderr


def test_serve_answers_as_the_read_only_role_and_stops_on_sigterm(database_url: str, session_engine, tmp_path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "vatstats_assets.cli", "serve", "--port", str(port)],
        env=serve_environment(database_url, str(tmp_path)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "vatstats serve did not answer within 60 s"
                time.sleep(0.3)
        assert health.json() == {"status": "ok"}
        status = httpx.get(f"http://127.0.0.1:{port}/v1/network/status", timeout=5)
        assert status.status_code == 200 and "pilots_online" in status.json()
        with session_engine.connect() as conn:
            users = conn.exec_driver_sql(
                "SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = 'vatstats-reader'"
                " AND datname = current_database()").scalars().all()
        assert users == ["vatstats_reader"]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # uvicorn finishes the requests in flight, then re-raises the signal: the exit says how it ended.
    output = process.stdout.read().decode() if process.stdout else ""
    assert process.returncode in (0, -signal.SIGTERM), output
    assert "Finished server process" in output and "Traceback" not in output
