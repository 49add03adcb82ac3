"""`vatstats simulate`: arguments, the offline run, and one clear sentence for every user mistake."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from vatstats_assets.sim.command import main


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--pilots", "-5"], "--pilots"),
        (["--controllers", "-1"], "--controllers"),
        (["--speed", "0"], "--speed"),
        (["--start", "yesterday-ish"], "--start"),
        (["--fault", "meltdown"], "--fault"),
        (["--port", "70000"], "--port"),
        (["--offline", "x", "--hours", "-1"], "--hours"),
        (["--pilots", "many"], "--pilots"),
        (["--offline", "x", "--airspace", "/nonexistent/airspace"], "--airspace"),
    ],
)
def test_bad_arguments_give_one_sentence_and_exit_2(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert named in _error_line(capsys)


def test_a_port_in_use_gives_one_sentence_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port), "--pilots", "5"]) == 2
    assert f"127.0.0.1:{port}" in _error_line(capsys)


def test_an_unwritable_offline_directory_gives_one_sentence_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["--offline", str(blocker / "day"), "--hours", "0.1", "--pilots", "5"]) == 2
    assert "cannot write to directory" in _error_line(capsys)


def test_offline_command_writes_snapshots_and_reports_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--offline", str(tmp_path), "--hours", "0.1", "--pilots", "10", "--seed", "3",
            "--start", "2026-11-20T00:00:00Z"]
    assert main(argv) == 0
    assert len(list(tmp_path.glob("vatsim-data-2026112*Z.json.gz"))) == 24
    assert len(list(tmp_path.glob("vatsim-data-2026112*Z.transceivers.json.gz"))) == 24
    assert (tmp_path / "ground-truth.jsonl").is_file()
    err = capsys.readouterr().err
    assert "offline: 24/24 snapshots" in err and "wrote 24 snapshots" in err


def test_help_explains_every_option_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: vatstats simulate")
    for option in ("--port", "--speed", "--pilots", "--controllers", "--seed", "--start", "--truth", "--fault",
                   "--offline", "--hours", "--verbose", "examples:", "http429"):
        assert option in out
