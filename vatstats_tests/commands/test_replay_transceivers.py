"""`vatstats replay` reads each snapshot's transceivers from the file kept beside it."""

from __future__ import annotations

import gzip
from datetime import timedelta
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
import zstandard

from vatstats_assets.commands.snapshot_files import discover
from vatstats_assets.storage.raw_body import decompress_raw
from vatstats_tests.reliability.snapshot_files import replay_folder
from vatstats_tests.support.tuning_feeds import START, controller, data_body, pilot, radio, tx_body


def _snapshot(folder: Path, stem: str, seconds: int) -> bytes:
    body = data_body(START + timedelta(seconds=seconds), [pilot()], [controller()])
    (folder / f"{stem}.json.gz").write_bytes(gzip.compress(body))
    return body


def test_transceivers_files_beside_snapshots_are_not_taken_for_snapshots(tmp_path: Path) -> None:
    _snapshot(tmp_path, "0600", 0)
    (tmp_path / "0600.transceivers.json.gz").write_bytes(gzip.compress(tx_body(QFA1=[radio(124_500_000)])))
    (tmp_path / "0615.transceivers.json").write_bytes(tx_body())  # an orphan is ignored as well
    found, refused = discover(tmp_path)
    assert [s.path.name for s in found] == ["0600.json.gz"] and refused == []


def test_replay_stores_each_snapshots_transceivers_as_runs_and_says_which_had_none(
    tmp_path: Path, database_url: str, engine: sa.Engine
) -> None:
    tuned = tx_body(QFA1=[radio(124_500_000)], SY_TWR=[radio(120_500_000)])
    _snapshot(tmp_path, "0600", 0)
    (tmp_path / "0600.transceivers.json.gz").write_bytes(gzip.compress(tuned))
    _snapshot(tmp_path, "0615", 15)
    (tmp_path / "0615.transceivers.json").write_bytes(tuned)
    _snapshot(tmp_path, "0630", 30)  # no transceivers file
    _snapshot(tmp_path, "0645", 45)
    (tmp_path / "0645.transceivers.json.zst").write_bytes(zstandard.ZstdCompressor().compress(tuned))
    _snapshot(tmp_path, "0700", 60)
    (tmp_path / "0700.transceivers.json.gz").write_bytes(b"\x1f\x8b broken")

    assert replay_folder(tmp_path, database_url) == 0
    with engine.connect() as conn:
        missing = conn.execute(sa.text(
            "SELECT transceivers_missing FROM vatstats.feed_snapshots ORDER BY update_timestamp")).scalars().all()
        runs = conn.execute(sa.text(
            "SELECT callsign, extract(epoch FROM first_seen - :start)::int, extract(epoch FROM last_seen - :start)::int"
            " FROM vatstats.transceiver_tunings ORDER BY callsign"), {"start": START}).all()
    assert missing[:4] == [None, None, "no transceivers file", None]
    assert missing[4].startswith("the transceivers file 0700.transceivers.json.gz is not a readable gzip file")
    assert [tuple(r) for r in runs] == [("QFA1", 0, 45), ("SY_TWR", 0, 45)]


def _stored_bodies(engine: sa.Engine) -> list[tuple[str, bytes, bytes | None]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT body_encoding, body, transceivers_body FROM vatstats.feed_snapshots ORDER BY update_timestamp"))
        return [(encoding, bytes(body), None if tx is None else bytes(tx)) for encoding, body, tx in rows]


def test_a_gzip_snapshot_is_stored_as_its_file_and_with_its_transceivers_file_when_that_is_gzip_too(
    tmp_path: Path, database_url: str, engine: sa.Engine
) -> None:
    tuned = tx_body(QFA1=[radio(124_500_000)])
    bodies = [_snapshot(tmp_path, stem, seconds) for stem, seconds in (("0600", 0), ("0615", 15), ("0630", 30))]
    (tmp_path / "0600.transceivers.json.gz").write_bytes(gzip.compress(tuned, compresslevel=9))
    (tmp_path / "0615.transceivers.json").write_bytes(tuned)  # not gzip: both bodies are zstd
    (tmp_path / "0645.json").write_bytes(data_body(START + timedelta(seconds=45), [pilot()], [controller()]))

    assert replay_folder(tmp_path, database_url) == 0
    stored = _stored_bodies(engine)
    assert [encoding for encoding, _, _ in stored] == ["gzip", "zstd", "gzip", "zstd"]
    assert stored[0][1:] == ((tmp_path / "0600.json.gz").read_bytes(), (tmp_path / "0600.transceivers.json.gz").read_bytes())
    assert stored[2][1:] == ((tmp_path / "0630.json.gz").read_bytes(), None)
    for (encoding, body, transceivers), json in zip(stored, [*bodies, (tmp_path / "0645.json").read_bytes()], strict=True):
        assert decompress_raw(body, encoding) == json
        assert transceivers is None or decompress_raw(transceivers, encoding) == tuned


def test_without_names_stored_a_gzip_snapshot_is_blanked_and_compressed_as_live_ingestion_does(
    tmp_path: Path, database_url: str, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VATSTATS_STORE_NAMES", "false")
    _snapshot(tmp_path, "0600", 0)
    assert replay_folder(tmp_path, database_url) == 0
    [(encoding, body, _)] = _stored_bodies(engine)
    assert encoding == "zstd"
    assert {p["name"] for p in orjson.loads(decompress_raw(body, encoding))["pilots"]} == {""}
