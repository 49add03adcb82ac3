"""Binary COPY (the raw snapshot's rows): values PostgreSQL reads back exactly, clear refusals."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from vatstats_assets.storage import bulk
from vatstats_assets.storage.catalog import table_catalog
from vatstats_assets.storage.copy_binary import copy_binary
from vatstats_assets.storage.copy_format import UnstorableValue
from vatstats_assets.storage.tables import TABLES

TYPES = ("timestamptz", "text", "bytea", "integer")
# The catalog's spelling of each type binary COPY writes
CATALOG_TYPES = {"timestamptz": "timestamp with time zone", "text": "text", "bytea": "bytea", "integer": "integer"}


def test_every_value_reads_back_as_written(engine: sa.Engine) -> None:
    rows = [
        (datetime(2026, 11, 20, 6, 0, 15, 66475, tzinfo=UTC), "QFA1 ✈", b"\x00\xff" * 1000, -2**31),
        (datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC), "", b"", 2**31 - 1),
        (None, None, None, None),
    ]
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE binary_values (at timestamptz, t text, b bytea, i integer) ON COMMIT DROP")
        bulk.copy_rows(conn, "binary_values", ("at", "t", "b", "i"), rows, TYPES)
        stored = [tuple(r) for r in conn.exec_driver_sql("SELECT at, t, b, i FROM binary_values").all()]
    assert [(at, t, None if b is None else bytes(b), i) for at, t, b, i in stored] == rows


def test_a_nul_in_text_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(UnstorableValue, match="NUL"):
        copy_binary([("a\x00b",)], ("text",))


def test_a_timestamp_without_time_zone_is_refused() -> None:
    with pytest.raises(UnstorableValue, match="no time zone"):
        copy_binary([(datetime(2026, 11, 20),)], ("timestamptz",))


def test_an_integer_too_large_for_the_column_is_refused() -> None:
    with pytest.raises(UnstorableValue, match="does not fit an integer column"):
        copy_binary([(2**31,)], ("integer",))


def test_an_unsupported_column_type_is_named() -> None:
    with pytest.raises(ValueError, match="cannot write columns of type jsonb"):
        copy_binary([({},)], ("jsonb",))


def test_each_table_copied_in_binary_declares_the_types_the_catalog_has(engine: sa.Engine) -> None:
    binary_specs = [spec for spec in TABLES.values() if spec.copy_types is not None]
    assert binary_specs
    with engine.connect() as conn:
        for spec in binary_specs:
            catalog = {column.name: column.type for column in table_catalog(conn, spec.qualified).columns}
            assert [CATALOG_TYPES[t] for t in spec.copy_types] == [catalog[c] for c in spec.columns], spec.name


def test_a_timestamp_with_another_offset_is_stored_as_the_same_moment(engine: sa.Engine) -> None:
    sydney = datetime(2026, 11, 20, 17, 0, tzinfo=timezone(timedelta(hours=11)))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE binary_moments (at timestamptz) ON COMMIT DROP")
        bulk.copy_rows(conn, "binary_moments", ("at",), [(sydney,)], ("timestamptz",))
        stored = conn.exec_driver_sql("SELECT at FROM binary_moments").scalar_one()
    assert stored == datetime(2026, 11, 20, 6, 0, tzinfo=UTC)

