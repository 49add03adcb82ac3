"""What PostgreSQL's own catalog says about a warehouse table: columns, types, comments, row count.

The data dictionary lives in the database (`COMMENT ON`, sql/migrations/004_comments.sql); this
module reads it back so the Dagster UI can show each asset's columns with their meaning. A table's
row count is exact for small tables and otherwise estimated the way PostgreSQL's planner does it,
from the statistics ANALYZE keeps, so counting never scans a large table.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

# Up to 8 MiB of heap a count(*) takes a few milliseconds; beyond, the estimate is used.
SMALL_TABLE_BYTES = 8 * 1024 * 1024

_COLUMNS = sa.text("""
SELECT a.attname                               AS name,
       format_type(a.atttypid, a.atttypmod)    AS type,
       a.attnotnull                            AS not_null,
       col_description(c.oid, a.attnum)        AS comment,
       obj_description(c.oid, 'pg_class')      AS table_comment,
       array_position(pk.conkey, a.attnum)     AS key_position
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_constraint AS pk ON pk.conrelid = c.oid AND pk.contype = 'p'
WHERE n.nspname = :schema AND c.relname = :table
ORDER BY a.attnum
""")

# The heap size of every leaf (a partitioned table's day partitions, or a plain table itself) now,
# and the rows per page ANALYZE last saw on the leaves it has visited (reltuples is -1 before).
# rows = pages now x rows per page is the planner's own estimate, current even between ANALYZEs.
# pg_partition_tree lists nothing for a plain table, hence the table itself as well.
_SIZE = sa.text("""
WITH target AS (SELECT to_regclass(:table) AS oid),
leaves AS (
    SELECT c.reltuples, c.relpages, pg_relation_size(c.oid) AS bytes
    FROM pg_class AS c
    WHERE c.relkind = 'r'
      AND (c.oid = (SELECT oid FROM target)
           OR c.oid IN (SELECT relid FROM pg_partition_tree((SELECT oid FROM target)) WHERE isleaf))
)
SELECT (SELECT oid FROM target) IS NOT NULL                                       AS known,
       coalesce(sum(bytes), 0)::bigint                                             AS bytes,
       current_setting('block_size')::bigint                                      AS block_size,
       sum(reltuples) FILTER (WHERE reltuples >= 0 AND relpages > 0)
         / nullif(sum(relpages) FILTER (WHERE reltuples >= 0 AND relpages > 0), 0) AS rows_per_page
FROM leaves
""")


class UnknownTable(LookupError):
    """The catalog has no such table (a name the caller got wrong, or a migration not applied)."""


@dataclass(frozen=True)
class CatalogColumn:
    name: str
    type: str  # as PostgreSQL prints it: "timestamp with time zone", "double precision", ...
    nullable: bool
    comment: str | None


@dataclass(frozen=True)
class TableCatalog:
    qualified_name: str
    comment: str | None
    columns: tuple[CatalogColumn, ...]
    primary_key: tuple[str, ...]  # in key order


@dataclass(frozen=True)
class RowCount:
    rows: int
    exact: bool  # False: estimated from the table's size and ANALYZE's rows per page


def _split(qualified_name: str) -> tuple[str, str]:
    schema, dot, table = qualified_name.partition(".")
    if not dot:
        raise ValueError(f"{qualified_name!r} is not a schema-qualified table name like vatstats.flights")
    return schema, table


def table_catalog(conn: sa.Connection, qualified_name: str) -> TableCatalog:
    """Columns (in table order), types, nullability, comments and primary key: one query."""
    schema, table = _split(qualified_name)
    rows = conn.execute(_COLUMNS, {"schema": schema, "table": table}).all()
    if not rows:
        raise UnknownTable(f"the database has no table {qualified_name}")
    keyed = sorted((r.key_position, r.name) for r in rows if r.key_position is not None)
    return TableCatalog(
        qualified_name=qualified_name,
        comment=rows[0].table_comment,
        columns=tuple(CatalogColumn(r.name, r.type, not r.not_null, r.comment) for r in rows),
        primary_key=tuple(name for _, name in keyed),
    )


def row_count(conn: sa.Connection, qualified_name: str, small_table_bytes: int = SMALL_TABLE_BYTES) -> RowCount:
    """The table's rows, partitions included: counted when small or never analysed, else estimated.

    `qualified_name` must be a trusted identifier (a TableSpec constant): a small table is counted
    with it in the statement. Runs in the caller's transaction, so its own uncommitted rows count.
    """
    _split(qualified_name)
    # to_regclass, not a cast: an unknown name must not abort the caller's transaction.
    size = conn.execute(_SIZE, {"table": qualified_name}).one()
    if not size.known:
        raise UnknownTable(f"the database has no table {qualified_name}")
    if size.bytes <= small_table_bytes or size.rows_per_page is None:
        counted = conn.execute(sa.text(f"SELECT count(*) FROM {qualified_name}")).scalar_one()
        return RowCount(int(counted), exact=True)
    pages = size.bytes / size.block_size
    return RowCount(round(pages * float(size.rows_per_page)), exact=False)
