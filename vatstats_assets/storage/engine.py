"""One SQLAlchemy engine per process, small and health-checked."""

from __future__ import annotations

import sqlalchemy as sa

# Ingest writes one transaction at a time; summaries add one more. Dagster's own storage has its
# own pool in its own database, so the warehouse needs very few connections.
POOL_SIZE = 2
MAX_OVERFLOW = 2


def create_warehouse_engine(url: str) -> sa.Engine:
    return sa.create_engine(
        url,
        pool_pre_ping=True,  # a restarted server is noticed before a statement fails
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        pool_recycle=1800,
        # UTF-8 whatever the server's default: binary COPY sends text as UTF-8 bytes (copy_binary.py).
        connect_args={"application_name": "vatstats", "connect_timeout": 5, "client_encoding": "utf8"},
    )


def create_read_engine(url: str, *, pool_size: int = 5, max_overflow: int = 0) -> sa.Engine:
    """An engine for readers (the read API, exports): its own pool size, marked in pg_stat_activity."""
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=1800,
        connect_args={"application_name": "vatstats-reader", "connect_timeout": 5, "client_encoding": "utf8"},
    )
