"""The data dictionary in the database, and what storage/catalog.py reads back from it."""

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from vatstats_assets.storage.catalog import RowCount, UnknownTable, row_count, table_catalog


@pytest.fixture
def conn(engine: sa.Engine) -> Iterator[sa.Connection]:
    with engine.connect() as connection:
        with connection.begin() as transaction:
            yield connection
            transaction.rollback()


def _day_partitioned_temp_table(conn: sa.Connection) -> None:
    """A temporary partitioned table: autovacuum never analyses temporary tables, so the statistics
    are exactly those the test creates."""
    conn.exec_driver_sql("CREATE TEMP TABLE track (at date NOT NULL, filler text NOT NULL) PARTITION BY RANGE (at)")
    conn.exec_driver_sql("CREATE TEMP TABLE track_d1 PARTITION OF track FOR VALUES FROM ('2026-01-01') TO ('2026-01-02')")
    conn.exec_driver_sql("CREATE TEMP TABLE track_d2 PARTITION OF track FOR VALUES FROM ('2026-01-02') TO ('2026-01-03')")


def _fill(conn: sa.Connection, day: str, rows: int) -> None:
    conn.execute(sa.text("INSERT INTO track SELECT CAST(:day AS date), repeat('x', 100) FROM generate_series(1, :n)"),
                 {"day": day, "n": rows})


def test_every_warehouse_table_view_and_table_column_has_a_comment(conn: sa.Connection) -> None:
    relations = conn.execute(sa.text(
        "SELECT c.relname, c.relkind, obj_description(c.oid, 'pg_class') AS comment"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'vatstats' AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition"
    )).all()
    assert {r.relname for r in relations} >= {"flights", "flight_positions", "traffic_movements", "current_flights"}
    assert [r.relname for r in relations if not r.comment] == []
    uncommented = [
        f"{r.relname}.{column.name}"
        for r in relations if r.relkind in ("r", "p")
        for column in table_catalog(conn, f"vatstats.{r.relname}").columns if not column.comment
    ]
    assert uncommented == []


def test_catalog_lists_columns_in_table_order_with_types_nullability_comments_and_key(conn: sa.Connection) -> None:
    catalog = table_catalog(conn, "vatstats.flights")
    first = catalog.columns[:4]
    assert [(c.name, c.type, c.nullable) for c in first] == [
        ("cid", "integer", False), ("callsign", "text", False),
        ("logon_time", "timestamp with time zone", False), ("name", "text", True),
    ]
    assert catalog.primary_key == ("cid", "callsign", "logon_time")
    assert catalog.comment and catalog.comment.startswith("One row per pilot connection")
    assert all(c.comment for c in catalog.columns)


def test_primary_key_comes_back_in_key_order_not_column_order(conn: sa.Connection) -> None:
    # atc_positions is keyed (callsign, cid, logon_time); movement_summaries' key skips aircraft_type's place.
    assert table_catalog(conn, "vatstats.atc_positions").primary_key == ("callsign", "cid", "logon_time")
    assert table_catalog(conn, "vatstats.movement_summaries").primary_key == (
        "date", "airport", "hour", "movement_type", "aircraft_type"
    )


def test_unknown_table_is_named_and_the_transaction_stays_usable(conn: sa.Connection) -> None:
    with pytest.raises(UnknownTable, match="vatstats.no_such_table"):
        table_catalog(conn, "vatstats.no_such_table")
    with pytest.raises(UnknownTable, match="vatstats.no_such_table"):
        row_count(conn, "vatstats.no_such_table")
    assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1


def test_unqualified_table_name_is_refused_with_an_example(conn: sa.Connection) -> None:
    with pytest.raises(ValueError, match="like vatstats.flights"):
        table_catalog(conn, "flights")


def test_small_table_is_counted_exactly_including_rows_written_in_the_same_transaction(conn: sa.Connection) -> None:
    _day_partitioned_temp_table(conn)
    _fill(conn, "2026-01-01", 120)
    _fill(conn, "2026-01-02", 30)
    assert row_count(conn, "pg_temp.track") == RowCount(150, exact=True)


def test_empty_table_counts_zero(conn: sa.Connection) -> None:
    assert row_count(conn, "vatstats.traffic_movements") == RowCount(0, exact=True)


def test_large_table_never_analysed_is_still_counted_exactly(conn: sa.Connection) -> None:
    _day_partitioned_temp_table(conn)
    _fill(conn, "2026-01-01", 2000)
    assert row_count(conn, "pg_temp.track", small_table_bytes=0) == RowCount(2000, exact=True)


def test_large_partitioned_table_is_estimated_from_analyse_statistics_without_counting(conn: sa.Connection) -> None:
    _day_partitioned_temp_table(conn)
    _fill(conn, "2026-01-01", 4000)
    conn.exec_driver_sql("ANALYZE track_d1")
    # Under ANALYZE's 30,000-row sample the statistics are exact: the estimate is the true count.
    assert row_count(conn, "pg_temp.track", small_table_bytes=0) == RowCount(4000, exact=False)
    # A partition written since, never analysed, is estimated from its size at its sibling's density.
    _fill(conn, "2026-01-02", 4000)
    estimate = row_count(conn, "pg_temp.track", small_table_bytes=0)
    assert not estimate.exact
    assert 7800 <= estimate.rows <= 8200


def test_large_plain_table_is_estimated_too(conn: sa.Connection) -> None:
    conn.exec_driver_sql("CREATE TEMP TABLE plain (filler text NOT NULL)")
    conn.exec_driver_sql("INSERT INTO plain SELECT repeat('x', 100) FROM generate_series(1, 3000)")
    conn.exec_driver_sql("ANALYZE plain")
    assert row_count(conn, "pg_temp.plain", small_table_bytes=0) == RowCount(3000, exact=False)
