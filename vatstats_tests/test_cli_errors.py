"""Bad configuration and bad arguments end with one clear sentence and a non-zero exit."""

import os
import socket
import subprocess
import sys

import pytest


def vatstats(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VATSTATS_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "vatstats_assets.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout)


def assert_one_sentence(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("vatstats: error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_an_unreachable_database_is_named_in_one_sentence() -> None:
    result = vatstats("migrate", env={"VATSTATS_DATABASE_URL": "postgresql://nobody:secret@127.0.0.1:1/x"})
    assert_one_sentence(result, "cannot connect", "VATSTATS_DATABASE_URL", "127.0.0.1:1")
    assert "secret" not in result.stderr


def test_a_malformed_database_url_is_named_in_one_sentence() -> None:
    assert_one_sentence(vatstats("migrate", env={"VATSTATS_DATABASE_URL": "mysql://db/x"}), "VATSTATS_DATABASE_URL")


def test_a_data_folder_that_cannot_be_written_is_named_in_one_sentence(tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = vatstats("migrate", env={"VATSTATS_DATA_DIR": str(blocked / "data")})
    assert_one_sentence(result, "VATSTATS_DATA_DIR", "cannot be written")


def test_an_unknown_command_is_named() -> None:
    assert_one_sentence(vatstats("fly"), "unknown command 'fly'")


@pytest.mark.parametrize("command", ["dev", "simulate", "migrate", "replay", "backfill", "status", "serve", "bench"])
def test_every_command_explains_itself_with_an_example(command: str) -> None:
    result = vatstats(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "example" in result.stdout.lower()


def test_replay_of_a_missing_folder_is_refused(tmp_path) -> None:
    result = vatstats("replay", str(tmp_path / "nope"), env={"VATSTATS_DATABASE_URL": "postgresql://postgres@127.0.0.1/x"})
    assert_one_sentence(result, "is not a folder")


def test_replay_refuses_an_unknown_region(tmp_path) -> None:
    result = vatstats("replay", str(tmp_path), "--region", "europe")
    assert_one_sentence(result, "--region must be one of vatpac, global")


@pytest.mark.parametrize("option", [("--batch", "0"), ("--workers", "-1")])
def test_replay_refuses_an_empty_batch_or_negative_workers(tmp_path, option) -> None:
    result = vatstats("replay", str(tmp_path), *option)
    assert_one_sentence(result, "--batch must be 1 or more and --workers 0 or more")


def test_dev_refuses_a_busy_port_before_starting_anything(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = vatstats("dev", "--port", str(port), env={"VATSTATS_DATA_DIR": str(tmp_path / "data")})
    assert_one_sentence(result, f"port {port} on 127.0.0.1", "--port")
    assert not (tmp_path / "data").exists()  # no database was started
