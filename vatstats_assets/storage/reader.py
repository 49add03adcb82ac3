"""The read-only role `vatstats_reader`: its password, its login, and the URL it connects with.

Migration 009 creates the role without a login and grants it SELECT on the reporting tables and
views. Here it gets LOGIN and its password each time a command opens the warehouse (idempotent), so
a password set in VATSTATS_READER_PASSWORD takes effect at the next command. Everything that only
reads (the read API, exports, BI tools) connects as this role: they cannot write by construction.
"""

from __future__ import annotations

import os
import secrets

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vatstats_assets.settings import Settings, SettingsError
from vatstats_assets.storage.server import PostgresServer, first_error_line

READER_ROLE = "vatstats_reader"
PASSWORD_FILE = "reader-password"
# A dashboard's runaway query is stopped rather than left to hold the warehouse's CPU and locks.
READER_STATEMENT_TIMEOUT = "60s"


class ReaderUnavailable(RuntimeError):
    """The role cannot be prepared (the warehouse user may not manage roles); the message says what to do."""


def reader_password(settings: Settings) -> str:
    """VATSTATS_READER_PASSWORD, else the one kept in VATSTATS_DATA_DIR (made on first use, mode 0600)."""
    if settings.reader_password:
        return settings.reader_password
    path = settings.data_dir / PASSWORD_FILE
    try:
        if path.exists():
            kept = path.read_text().strip()
            if kept:
                return kept
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(24)
        # Created with 0600 from the start: the password is never readable by others, even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(password + "\n")
        return password
    except OSError as error:
        raise SettingsError(
            f"the reader password file {str(path)!r} cannot be read or written ({error.strerror or error}); "
            "set VATSTATS_READER_PASSWORD instead"
        ) from None


def enable_reader_login(engine: sa.Engine, password: str) -> None:
    """Give the role LOGIN, `password`, read-only sessions and a statement timeout.

    Raises ReaderUnavailable when the role is missing or the warehouse user may not alter it.
    """
    with engine.begin() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": READER_ROLE}).scalar():
            raise ReaderUnavailable(
                f"the role {READER_ROLE} does not exist: the warehouse user could not create it (it needs "
                "CREATEROLE); create it as a superuser and run vatstats migrate again, or set "
                "VATSTATS_READ_DATABASE_URL"
            )
        try:
            with conn.begin_nested():
                # DDL takes no bind parameters; psycopg2 quotes the password client-side as a literal.
                cursor = conn.connection.cursor()
                cursor.execute(f"ALTER ROLE {READER_ROLE} WITH LOGIN PASSWORD %s", (password,))
                cursor.execute(f"ALTER ROLE {READER_ROLE} SET default_transaction_read_only = on")
                cursor.execute(f"ALTER ROLE {READER_ROLE} SET statement_timeout = '{READER_STATEMENT_TIMEOUT}'")
        except sa.exc.DBAPIError as error:
            raise ReaderUnavailable(
                f"the warehouse user may not give {READER_ROLE} its login ({first_error_line(error)}); "
                "grant it CREATEROLE, or set VATSTATS_READ_DATABASE_URL"
            ) from None


def reader_url(server: PostgresServer, password: str) -> str:
    """The warehouse as vatstats_reader: same host, port or socket and database, the reader's login."""
    url = make_url(server.warehouse_url).set(username=READER_ROLE, password=password)
    return url.render_as_string(hide_password=False)


def read_url(settings: Settings, server: PostgresServer) -> str:
    """Where reads go: VATSTATS_READ_DATABASE_URL (e.g. a replica), else the warehouse as the reader."""
    if settings.read_database_url:
        return settings.read_database_url
    return reader_url(server, reader_password(settings))
