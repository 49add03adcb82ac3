"""The raw snapshot as feed_snapshots keeps it: compressed, with members' names blanked when none are stored.

New rows are zstd-compressed (level 3): for a 3.5 MB 4,000-pilot body about 8 ms and 5.7x smaller,
where gzip level 5 took about 40 ms for 5.3x (bench/storage_bench.py measures both). Rows
written before migration 006 are gzip; `body_encoding` says which, and `decompress_raw` reads
either.
"""

from __future__ import annotations

import gzip

import zstandard

from vatstats_assets.core.anonymise import body_without_names

ENCODING = "zstd"
ZSTD_LEVEL = 3
ENCODINGS = ("gzip", "zstd")


def compress_raw(body: bytes, *, store_names: bool) -> bytes:
    """The body compressed as ENCODING, with members' names blanked when none are stored."""
    stored_body = body if store_names else body_without_names(body)
    # A compressor is cheap to make and not safe to share between threads: one per call.
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(stored_body)


def decompress_raw(stored: bytes, encoding: str) -> bytes:
    """A stored body back as JSON bytes, from a row's `body` and `body_encoding`."""
    if encoding == "zstd":
        return zstandard.ZstdDecompressor().decompress(stored)
    if encoding == "gzip":
        return gzip.decompress(stored)
    raise ValueError(f"unknown raw body encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")
