"""The `vatstats` command as a user runs it: a process of its own, with only the settings given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def command_line(*args: str) -> list[str]:
    return [sys.executable, "-m", "vatstats_assets.cli", *args]


def environment(settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without any vatstats or Dagster setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VATSTATS_", "DAGSTER_"))}
    env.update(settings)
    return env


def start_vatstats(*args: str, env: dict[str, str], cwd: Path | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen(command_line(*args), env=environment(env), cwd=cwd, text=True, **popen)


def run_vatstats(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command_line(*args), env=environment(env), capture_output=True, text=True, timeout=timeout)
