"""`python -m bench.score_contacts` scores what a warehouse stored, or an offline run's files, against the
simulator's contact truth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.score_contacts import main
from vatstats_assets.sim import GroundTruth, write_offline
from vatstats_assets.sim.truth import ContactTruth, ControllerSessionTruth

START = datetime(2026, 11, 20, 6, tzinfo=UTC)
PILOT_LOGON = START - timedelta(hours=3)
ATC_LOGON = START - timedelta(hours=1)


def contact(minutes_from: float, minutes_to: float, atc: str = "SY_TWR") -> ContactTruth:
    return ContactTruth(1234567, "QFA1", PILOT_LOGON, 900001, atc, ATC_LOGON, 4, 120_875_000,
                        START + timedelta(minutes=minutes_from), START + timedelta(minutes=minutes_to))


def write_truth(path: Path, contacts: list[ContactTruth]) -> None:
    with GroundTruth(path) as truth:  # the window comes from the controller sessions, clipped to it
        truth.record([ControllerSessionTruth("SY_TWR", 900001, 4, 3, START, START + timedelta(hours=2), ATC_LOGON,
                                             "controllers"), *contacts])


def test_the_database_scorer_matches_the_stored_contacts_of_the_window(
    engine: sa.Engine, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = [contact(10, 40), contact(50, 70)]
    write_truth(tmp_path / "truth.jsonl", truth)
    stored = [contact(9.9, 40.1), contact(49.9, 70.1), contact(200, 210, atc="ML-SNO_CTR")]  # the last: outside
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO vatstats.atc_contacts VALUES (:pilot_cid, :pilot_callsign, :pilot_logon_time, :atc_cid,"
            " :atc_callsign, :atc_logon_time, :facility, :channel_hz, :started_at, :ended_at)"),
            [{name: getattr(c, name) for name in ContactTruth.__slots__} for c in stored])

    assert main(["--database-url", database_url, "--truth", str(tmp_path / "truth.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "2 true, 2 stored" in out and "precision 100.00%, recall 100.00%" in out
    assert "max 12.0 s; 100.00% within 15 s" in out


def test_the_offline_scorer_reads_the_transceivers_beside_each_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_offline(tmp_path, hours=0.25, pilots=60, seed=7, start=START, controllers=20)
    assert main(["--offline", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "precision 100.00%, recall 100.00%" in out and "100.00% within 15 s" in out


def test_the_in_memory_scorer_simulates_the_feed_with_its_transceivers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--hours", "0.25", "--pilots", "60", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "'true_contacts': 14" in out and "precision 100.00%, recall 100.00%" in out
