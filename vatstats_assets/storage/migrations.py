"""Apply the versioned plain-SQL files under `sql/migrations/` in order, once each.

A small runner rather than a library: it reuses the project's one SQLAlchemy/psycopg2 connection
path (TCP or the embedded server's unix socket alike), records a checksum per file so an edited,
already-applied migration is refused loudly, and serialises concurrent runners with an advisory lock.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from vatstats_assets.storage.sql_files import SQL_DIR

MIGRATIONS_DIR = SQL_DIR / "migrations"
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Any constant shared by all vatstats processes; pg_advisory_xact_lock takes a bigint.
_LOCK_KEY = 0x5A7_57A75


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"migration file {path.name!r} is not named NNN_description.sql")
        migrations.append(Migration(int(match.group(1)), path.name, path.read_text()))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationError("two migration files share a version number")
    return migrations


def migrate(engine: sa.Engine, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; returns the names applied (empty when up to date)."""
    applied_now: list[str] = []
    with engine.begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS vatstats"))
        conn.execute(sa.text(
            "CREATE TABLE IF NOT EXISTS vatstats.schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        ))
        done = {
            row.version: row
            for row in conn.execute(sa.text("SELECT version, name, checksum FROM vatstats.schema_migrations"))
        }
        for migration in discover(directory):
            previous = done.get(migration.version)
            if previous is not None:
                if previous.checksum != migration.checksum:
                    raise MigrationError(
                        f"migration {migration.name} was changed after it was applied; "
                        "add a new migration instead of editing an old one"
                    )
                continue
            # A whole file may hold many statements: run it through the DBAPI cursor unparsed.
            with conn.connection.cursor() as cursor:  # type: ignore[attr-defined]  # psycopg2's is one
                cursor.execute(migration.sql)
            conn.execute(
                sa.text("INSERT INTO vatstats.schema_migrations (version, name, checksum)"
                        " VALUES (:v, :n, :c)"),
                {"v": migration.version, "n": migration.name, "c": migration.checksum},
            )
            applied_now.append(migration.name)
    return applied_now
