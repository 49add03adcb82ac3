"""Sector occupancy scored against the simulator's ground truth, end to end (issue 17's targets:
precision and recall of entries >= 99 %, median timing error <= 30 s): a simulated period written
offline with the synthetic airspace, replayed into the warehouse, `sector_occupancy` materialised
through Dagster, its stored rows scored against the stays the simulator timed on the true paths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from bench.score_sectors import main, score_period
from vatstats_assets.core.airspace import load_airspace
from vatstats_assets.sim import GroundTruth, write_offline
from vatstats_assets.sim.offline import TRUTH_FILE_NAME
from vatstats_assets.storage.airspace import stored_stays
from vatstats_tests.defs.test_airspace_assets import FIXTURES, assets, resources
from vatstats_tests.reliability.snapshot_files import replay_folder

# Two hours inside one UTC day with 250 pilots: about 200 sector entries, 480 snapshots.
START = datetime(2026, 11, 20, 6, tzinfo=UTC)
HOURS = 2.0
PILOTS = 250


def test_stored_sector_occupancy_meets_the_accuracy_targets_on_a_simulated_sample(
    tmp_path: Path, database_url: str, engine: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    write_offline(tmp_path, hours=HOURS, pilots=PILOTS, seed=17, start=START, airspace=load_airspace(FIXTURES))
    assert replay_folder(tmp_path, database_url) == 0
    for name in ("airspace_volumes", "sector_occupancy"):
        materialised = dg.materialize(assets(name), resources=resources(database_url),
                                      partition_key=START.date().isoformat() if name == "sector_occupancy" else None)
        assert materialised.success, name
    with engine.connect() as conn:
        detected = stored_stays(conn, START, START + timedelta(days=1))

    scores = score_period(GroundTruth.load(tmp_path / TRUTH_FILE_NAME), detected, START, START + timedelta(hours=HOURS))

    for crossing in ("entry", "exit"):
        result = scores[crossing]
        assert result.true > 100, result
        assert result.precision >= 0.99, result
        assert result.recall >= 0.99, result
        assert result.median_error_s is not None and result.median_error_s <= 30, result

    # The scorer's command reads the same rows and truth file and prints them as a table.
    assert main(["--database-url", database_url, "--truth", str(tmp_path / TRUTH_FILE_NAME)]) == 0
    table = capsys.readouterr().out
    entry_row = next(line for line in table.splitlines() if line.startswith("entry"))
    assert entry_row.split()[1:3] == [str(scores["entry"].true), str(scores["entry"].detected)]


def test_the_scorer_command_scores_a_simulated_period_in_memory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--hours", "0.5", "--pilots", "60", "--seed", "3", "--airspace", str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "entry" in out and "exit" in out
