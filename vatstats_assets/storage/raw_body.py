"""The raw snapshot as feed_snapshots keeps it: compressed, with members' names blanked when none are stored.

Ingestion compresses with zstd (level 3): for a 3.5 MB 4,000-pilot body about 8 ms and 5.7x
smaller, where gzip level 5 took about 40 ms for 5.3x (bench/storage_bench.py measures both).
Rows written before migration 006 are gzip, and so are those `vatstats replay` took from a gzip
archive, whose files are stored as they were (commands/replay_prepare.py); `body_encoding` says
which, and `decompress_raw` reads either.
"""

from __future__ import annotations

import zstandard
from isal import igzip

from vatstats_assets.core.anonymise import body_without_names

ENCODING = "zstd"
GZIP = "gzip"  # before migration 006, and a replayed gzip archive's files kept as they were
ZSTD_LEVEL = 3
ENCODINGS = (GZIP, ENCODING)


def compress_raw(body: bytes, *, store_names: bool) -> bytes:
    """The body compressed as ENCODING, with members' names blanked when none are stored."""
    stored_body = body if store_names else body_without_names(body)
    # A compressor is cheap to make and not safe to share between threads: one per call.
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(stored_body)


def decompress_raw(stored: bytes, encoding: str) -> bytes:
    """A stored body back as JSON bytes, from a row's `body` and `body_encoding`."""
    if encoding == "zstd":
        return zstandard.ZstdDecompressor().decompress(stored)
    if encoding == GZIP:
        return igzip.decompress(stored)  # ISA-L, as a gzip archive's files were read (2.5x zlib)
    raise ValueError(f"unknown raw body encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")
