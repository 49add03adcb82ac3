"""`vatstats dev` writes DAGSTER_HOME's dagster.yaml from the project's, with the backfill run limit
set for the machine."""

from pathlib import Path

import pytest
import yaml

from vatstats_assets.commands import dev


@pytest.mark.parametrize(("cores", "runs"), [(1, 1), (2, 1), (3, 1), (4, 2), (16, 8)])
def test_one_backfill_run_at_once_per_two_cores(cores: int, runs: int) -> None:
    assert dev.backfill_runs_at_once(cores) == runs


def test_the_dagster_home_config_is_the_projects_with_the_machines_backfill_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dev.os, "cpu_count", lambda: 8)
    home = dev.prepare_dagster_home(tmp_path)
    written = yaml.safe_load((home / "dagster.yaml").read_text())
    project = yaml.safe_load((dev.REPO_ROOT / "dagster.yaml").read_text())
    limits = {item["key"]: item["limit"] for item in written["concurrency"]["runs"]["tag_concurrency_limits"]}
    assert limits == {"vatstats/lane": 1, "dagster/backfill": 4}
    project["concurrency"]["runs"]["tag_concurrency_limits"][1]["limit"] = 4
    assert written == project
