"""The embedded PostgreSQL path, end to end: started, migrated, stopped, nothing left running."""

import os
import subprocess
import sys

import pytest

from vatstats_assets.storage.migrations import discover


@pytest.mark.embedded
def test_migrate_on_the_embedded_server_starts_migrates_and_stops_it(tmp_path) -> None:
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VATSTATS_")}
    env["VATSTATS_DATA_DIR"] = str(data_dir)
    first = subprocess.run([sys.executable, "-m", "vatstats_assets.cli", "migrate"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert f"applied {len(discover())} migrations" in first.stdout
    second = subprocess.run([sys.executable, "-m", "vatstats_assets.cli", "migrate"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert "applied 0 migrations" in second.stdout and "up to date" in second.stdout
    assert not (data_dir / "pg" / "postmaster.pid").exists()  # the server was stopped again
