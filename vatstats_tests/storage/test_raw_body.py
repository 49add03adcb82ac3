"""The raw snapshot's stored form: zstd now, gzip in rows written before migration 006."""

import gzip

import orjson
import pytest

from vatstats_assets.storage.raw_body import ENCODING, compress_raw, decompress_raw
from vatstats_tests.fixtures import load_fixture_bytes


def test_a_stored_body_decompresses_to_exactly_the_json_received() -> None:
    body = load_fixture_bytes("2024-02-20")
    assert decompress_raw(compress_raw(body, store_names=True), ENCODING) == body


def test_the_same_body_always_compresses_to_the_same_bytes() -> None:
    # Two ingests of one snapshot store identical rows (the warehouse checksums compare them).
    body = load_fixture_bytes("2024-02-20")
    assert compress_raw(body, store_names=True) == compress_raw(body, store_names=True)


def test_without_names_the_stored_body_has_every_name_blanked() -> None:
    stored = orjson.loads(decompress_raw(compress_raw(load_fixture_bytes("2024-02-20"), store_names=False), ENCODING))
    assert {pilot["name"] for pilot in stored["pilots"]} == {""}


def test_a_gzip_body_written_before_zstd_still_reads() -> None:
    assert decompress_raw(gzip.compress(b'{"general": {}}'), "gzip") == b'{"general": {}}'


def test_an_unknown_encoding_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="unknown raw body encoding 'lz4'"):
        decompress_raw(b"", "lz4")
