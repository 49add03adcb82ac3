"""Offline mode: a simulated period on disk, one gzipped snapshot per 15 s plus the ground truth."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from vatstats_assets.sim import SimulatorError, write_offline
from vatstats_assets.sim.offline import TRUTH_FILE_NAME

START = datetime(2026, 11, 20, 23, 50, tzinfo=UTC)


def _write(directory: Path, hours: float = 0.25, seed: int = 1) -> list[Path]:
    run = write_offline(directory, hours=hours, pilots=20, seed=seed, start=START, progress=None)
    assert run.snapshots == round(hours * 240)
    return sorted(directory.glob("vatsim-data-*Z.json.gz"))  # the data files, not the transceivers beside them


def test_offline_writes_one_gzipped_snapshot_per_15_seconds_named_in_time_order(tmp_path: Path) -> None:
    files = _write(tmp_path)
    assert len(files) == 60
    stamps = [orjson.loads(gzip.decompress(f.read_bytes()))["general"]["update_timestamp"] for f in files]
    assert stamps == sorted(stamps) and len(set(stamps)) == 60
    assert files[0].name == "vatsim-data-20261120T235000Z.json.gz"
    assert files[-1].name == "vatsim-data-20261121T000445Z.json.gz"  # across midnight


def test_offline_writes_the_transceivers_of_each_tick_beside_its_snapshot(tmp_path: Path) -> None:
    files = _write(tmp_path, hours=0.05)
    for data_file in files:
        beside = data_file.with_name(data_file.name.removesuffix(".json.gz") + ".transceivers.json.gz")
        snapshot = orjson.loads(gzip.decompress(data_file.read_bytes()))
        transceivers = orjson.loads(gzip.decompress(beside.read_bytes()))
        connected = snapshot["pilots"] + snapshot["controllers"] + snapshot["atis"]
        assert sorted(e["callsign"] for e in transceivers) == sorted(c["callsign"] for c in connected)
    assert files[0].name.removesuffix(".json.gz") + ".transceivers.json.gz" == \
        "vatsim-data-20261120T235000Z.transceivers.json.gz"


def test_offline_writes_the_ground_truth_beside_the_snapshots(tmp_path: Path) -> None:
    _write(tmp_path, hours=0.5)
    lines = (tmp_path / TRUTH_FILE_NAME).read_bytes().splitlines()
    events = [orjson.loads(line) for line in lines]
    assert {e["event"] for e in events} >= {"departure", "arrival", "controller_session"}
    movement_times = [e["at"] for e in events if e["event"] in ("departure", "arrival")]
    assert movement_times == sorted(movement_times)


def test_offline_runs_with_the_same_seed_write_identical_bytes(tmp_path: Path) -> None:
    _write(tmp_path / "a", hours=0.05)
    _write(tmp_path / "b", hours=0.05)
    first, second = (sorted((tmp_path / side).glob("*.json.gz")) for side in ("a", "b"))
    assert len(first) == 2 * 12  # the transceivers files included
    assert [f.read_bytes() for f in first] == [f.read_bytes() for f in second]
    assert (tmp_path / "a" / TRUTH_FILE_NAME).read_bytes() == (tmp_path / "b" / TRUTH_FILE_NAME).read_bytes()


def test_an_unwritable_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(SimulatorError, match="cannot write to directory"):
        write_offline(blocker / "day", hours=1, pilots=5, seed=1, start=START, progress=None)
