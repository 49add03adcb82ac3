"""What every command shares: settings, one-sentence errors, and an open, migrated warehouse."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa

from vatstats_assets.settings import Settings, SettingsError
from vatstats_assets.storage.engine import create_read_engine, create_warehouse_engine
from vatstats_assets.storage.migrations import migrate
from vatstats_assets.storage.reader import ReaderUnavailable, enable_reader_login, read_url, reader_password
from vatstats_assets.storage.server import PostgresServer, ensure_database, ensure_private_database, open_server


class CommandError(Exception):
    """A user's mistake or an unusable environment: printed as one sentence, exit status 2."""


def fail(message: str) -> int:
    message = message.rstrip(".") + "."
    print(f"vatstats: error: {message}", file=sys.stderr)
    return 2


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise CommandError(str(error)) from None


@dataclass
class Warehouse:
    settings: Settings
    server: PostgresServer
    engine: sa.Engine
    # Why the read-only role cannot be used (None: it can); see storage/reader.py.
    reader_problem: str | None = None


@dataclass
class ReadSide:
    """Where everything that only reads connects: a replica, or the warehouse as vatstats_reader."""

    settings: Settings
    url: str  # with its password: for engines, never for printing
    engine: sa.Engine


def _refused(server: PostgresServer, error: sa.exc.DBAPIError) -> str:
    """One sentence naming the server (never its password) and the first line of its answer."""
    reason = str(error.orig if error.orig is not None else error).strip().splitlines()
    return (f"the PostgreSQL server at {server.describe()} (VATSTATS_DATABASE_URL) refused to prepare the "
            f"warehouse: {reason[0] if reason else type(error).__name__}")


@contextmanager
def open_warehouse(
    settings: Settings | None = None, *, create_dagster_database: bool = False, migrate_schema: bool = True,
    listen: tuple[str, int] | None = None,
) -> Iterator[Warehouse]:
    """Start or reach the server, create the databases, migrate; stop an embedded server afterwards.
    `listen`: the embedded server also accepts TCP there (vatstats dev --listen)."""
    settings = settings or load_settings()
    try:
        server = open_server(settings, listen)
    except SettingsError as error:
        raise CommandError(str(error)) from None
    try:
        try:
            ensure_database(server, server.warehouse_database)
            if create_dagster_database:
                ensure_private_database(server, server.dagster_database)
        except SettingsError as error:
            raise CommandError(str(error)) from None
        except sa.exc.DBAPIError as error:  # e.g. a user not allowed to create the database
            raise CommandError(_refused(server, error)) from None
        engine = create_warehouse_engine(server.warehouse_url)
        try:
            reader_problem = None
            if migrate_schema:
                try:
                    migrate(engine)
                except sa.exc.DBAPIError as error:  # e.g. a user not allowed to create the schema
                    raise CommandError(_refused(server, error)) from None
                reader_problem = _prepare_reader(settings, engine)
            yield Warehouse(settings, server, engine, reader_problem)
        finally:
            engine.dispose()
    finally:
        server.stop()


def _prepare_reader(settings: Settings, engine: sa.Engine) -> str | None:
    """Give vatstats_reader its login and password; the reason it cannot be, or None."""
    try:
        enable_reader_login(engine, reader_password(settings))
    except ReaderUnavailable as problem:
        return str(problem)
    except SettingsError as error:
        raise CommandError(str(error)) from None
    return None


@contextmanager
def open_reader(
    settings: Settings | None = None, *, pool_size: int = 5, max_overflow: int = 0
) -> Iterator[ReadSide]:
    """An engine that can only read: on VATSTATS_READ_DATABASE_URL when set (nothing else is started or
    migrated: a replica follows its primary), else on the warehouse as vatstats_reader."""
    settings = settings or load_settings()
    if settings.read_database_url:
        engine = create_read_engine(settings.read_database_url, pool_size=pool_size, max_overflow=max_overflow)
        try:
            yield ReadSide(settings, settings.read_database_url, engine)
        finally:
            engine.dispose()
        return
    with open_warehouse(settings) as warehouse:
        if warehouse.reader_problem:
            raise CommandError(warehouse.reader_problem)
        url = read_url(settings, warehouse.server)
        engine = create_read_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        try:
            yield ReadSide(settings, url, engine)
        finally:
            engine.dispose()


def run_command(body) -> int:
    """Run a command body, turning CommandError into one sentence and exit status 2."""
    try:
        return int(body() or 0)
    except CommandError as error:
        return fail(str(error))
