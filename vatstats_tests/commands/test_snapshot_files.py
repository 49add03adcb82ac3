"""Reading an archive's snapshot files: every compression read whole, every broken one named."""

import gzip
from pathlib import Path

import pytest
import zstandard

from vatstats_assets.commands.snapshot_files import read_body
from vatstats_assets.core.feed import FeedFormatError

BODY = b'{"general": {"update_timestamp": "2025-08-06T09:15:00Z"}, "pilots": []}' * 200
GZIPPED = gzip.compress(BODY)


@pytest.mark.parametrize("name, data", [
    ("plain.json", BODY),
    ("one.json.gz", GZIPPED),
    ("two-members.json.gz", gzip.compress(BODY[:1000]) + gzip.compress(BODY[1000:])),
    ("zeros-after.json.gz", GZIPPED + b"\0" * 8),
    ("one.json.zst", zstandard.ZstdCompressor().compress(BODY)),
])
def test_every_compression_is_read_whole(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert read_body(path) == BODY
    assert read_body(path, 100) == BODY[:100]


@pytest.mark.parametrize("data", [
    GZIPPED[: len(GZIPPED) // 2],  # cut short
    GZIPPED[:20] + b"\0" * 20 + GZIPPED[40:],  # a corrupt block
    GZIPPED[:-8] + b"\0\0\0\0" + GZIPPED[-4:],  # a wrong checksum
    b"\x1f\x8b\x08\x00 not deflate at all",
    b"not gzip",
], ids=["truncated", "corrupt block", "wrong crc", "bad deflate", "not gzip"])
def test_a_broken_gzip_file_is_named_not_raised(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "20250806091500.json.gz"
    path.write_bytes(data)
    with pytest.raises(FeedFormatError, match=r"^not a readable gzip file \("):
        read_body(path)
