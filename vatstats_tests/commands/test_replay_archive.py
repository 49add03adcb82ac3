"""`vatstats replay` of archives as people keep them: nested folders, years with gaps, any names."""

from __future__ import annotations

import gzip
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import zstandard

from bench.replay_bench import CHECKSUMS
from vatstats_assets.commands.replay_prepare import Refused, ReplayOptions, prepare_file, start_worker
from vatstats_assets.commands.snapshot_files import discover
from vatstats_assets.core.feed import peek_update_timestamp
from vatstats_assets.sim import write_offline
from vatstats_assets.storage.ingest import ensure_tick_partitions, write_tick
from vatstats_tests.fixtures import FEED_FIXTURE_DATES, load_fixture_bytes
from vatstats_tests.reliability.snapshot_files import replay_folder


def _real_snapshot_timestamps() -> dict[str, datetime]:
    """The real recorded snapshots (three eras of the feed, 2021 to 2024), by date."""
    return {day: peek_update_timestamp(load_fixture_bytes(day)) for day in FEED_FIXTURE_DATES}


def _write_multi_year_archive(root: Path) -> None:
    """The real snapshots in a recorder's per-day layout, each compressed another way, named so that
    their names sort against time (the 2024 file's name sorts first)."""
    for index, day in enumerate(FEED_FIXTURE_DATES):
        body = load_fixture_bytes(day)
        folder = root / day[:4] / day
        folder.mkdir(parents=True)
        name = f"{9 - index}-snapshot"
        if index == 0:
            (folder / f"{name}.json").write_bytes(body)
        elif index == 1:
            (folder / f"{name}.json.gz").write_bytes(gzip.compress(body))
        else:
            (folder / f"{name}.json.zst").write_bytes(zstandard.ZstdCompressor().compress(body))


def test_archive_files_are_found_at_any_depth_and_ordered_by_update_timestamp_not_name(tmp_path: Path) -> None:
    _write_multi_year_archive(tmp_path)
    (tmp_path / "notes.txt").write_text("not a snapshot")
    (tmp_path / ".trash").mkdir()
    (tmp_path / ".trash" / "old.json").write_text("{}")
    found, refused = discover(tmp_path)
    assert refused == []
    assert [s.update_timestamp for s in found] == sorted(_real_snapshot_timestamps().values())
    assert [s.path.parent.name for s in found] == list(FEED_FIXTURE_DATES)


def test_multi_year_archive_with_gaps_replays_and_partitions_only_the_days_it_holds(
    tmp_path: Path, database_url: str, engine: sa.Engine
) -> None:
    _write_multi_year_archive(tmp_path)
    assert replay_folder(tmp_path, database_url) == 0
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT update_timestamp FROM vatstats.feed_snapshots ORDER BY 1")).scalars().all()
        position_days = conn.execute(sa.text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'flight_positions'"
            " AND c.relname BETWEEN 'flight_positions_p20210101' AND 'flight_positions_p20241231' ORDER BY 1"
        )).scalars().all()
    assert stored == sorted(_real_snapshot_timestamps().values())
    held = sorted({t.astimezone(UTC).strftime("%Y%m%d") for t in stored})
    assert position_days == [f"flight_positions_p{day}" for day in held]  # three, not 1,300 days of them


def test_interrupted_replay_resumes_storing_only_what_is_missing(
    tmp_path: Path, database_url: str, engine: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, first_half = tmp_path / "archive", tmp_path / "first-half"
    write_offline(archive, hours=0.05, pilots=30, seed=3, start=datetime(2026, 11, 20, 23, 55, tzinfo=UTC))
    files = sorted(p for p in archive.glob("*.json.gz") if not p.name.endswith(".transceivers.json.gz"))
    first_half.mkdir()
    for path in files[: len(files) // 2]:
        shutil.copy(path, first_half / path.name)
        sibling = path.with_name(path.name.replace(".json.gz", ".transceivers.json.gz"))
        shutil.copy(sibling, first_half / sibling.name)
    assert replay_folder(first_half, database_url) == 0  # the run "stopped" here
    assert replay_folder(archive, database_url) == 0
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert f"replayed {len(files) - len(files) // 2} snapshots ({len(files) // 2} already stored" in summary
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM vatstats.feed_snapshots")).scalar() == len(files)


def test_broken_zstd_file_is_named_with_its_folder_and_skipped(
    tmp_path: Path, database_url: str, engine: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_multi_year_archive(tmp_path)
    broken = tmp_path / "2025" / "2025-08-06" / "20250806091500.json.zst"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\x28\xb5\x2f\xfd garbage")
    assert replay_folder(tmp_path, database_url) == 1
    assert "skipped 2025/2025-08-06/20250806091500.json.zst: not a readable zstd file" in capsys.readouterr().err
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM vatstats.feed_snapshots")).scalar() == 3


def _copy_snapshots(files: list[Path], folder: Path) -> None:
    folder.mkdir()
    for path in files:
        shutil.copy(path, folder / path.name)
        sibling = path.with_name(path.name.replace(".json.gz", ".transceivers.json.gz"))
        shutil.copy(sibling, folder / sibling.name)


def test_an_archive_filling_a_gap_behind_stored_snapshots_is_written_as_one_at_a_time_would(
    tmp_path: Path, database_url: str, engine: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    write_offline(archive, hours=0.25, pilots=40, seed=9, start=datetime(2026, 11, 20, 23, 50, tzinfo=UTC))
    files = sorted(p for p in archive.glob("*.json.gz") if not p.name.endswith(".transceivers.json.gz"))
    later, earlier = files[len(files) // 3:], files[: len(files) // 3]
    start_worker(ReplayOptions(archive, "global", None, store_names=True))
    for path in later + earlier:  # what the two replays below store, one snapshot a transaction
        tick = prepare_file(path)
        assert not isinstance(tick, Refused)
        ensure_tick_partitions(engine, tick.update_timestamp.date())
        write_tick(engine, tick)
    one_at_a_time = _tables(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f"vatstats.{t}" for t in INGEST_TABLES))
    _copy_snapshots(later, tmp_path / "later")
    assert replay_folder(tmp_path / "later", database_url) == 0  # in batches: it carries the warehouse forward
    assert replay_folder(archive, database_url) == 0  # the first third lies behind what is stored
    assert f"replayed {len(earlier)} snapshots ({len(later)} already stored" in capsys.readouterr().out
    assert _tables(engine) == one_at_a_time


INGEST_TABLES = ("feed_snapshots", "flights", "atc_positions", "flight_positions", "transceiver_tunings")


def _tables(engine: sa.Engine) -> tuple:
    with engine.connect() as conn:  # fetched_at is the moment of the replay
        return tuple(conn.exec_driver_sql(sql).scalar() for sql in CHECKSUMS)
