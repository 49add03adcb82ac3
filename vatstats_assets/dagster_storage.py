"""Dagster's own storage (runs, events, sensor and schedule state) on vatstats' PostgreSQL server.

`dagster.yaml` names this class instead of a literal `postgres_url`, so every way of starting
Dagster finds its database with nothing exported: `vatstats dev`, and Dagster's own commands in the
project root (`dg dev`, `dg check defs`, `dagster dev`, `dagster asset materialize`, ...), which
read the root `dagster.yaml` when DAGSTER_HOME is unset. Where the database is, in order:

1. `VATSTATS_DAGSTER_PG_URL`, when set (what `vatstats dev` exports; a scaled-out deployment sets it);
2. else the server the settings name (`VATSTATS_DATABASE_URL`), database
   `VATSTATS_DAGSTER_DATABASE_NAME`, created if missing;
3. else the embedded server under `VATSTATS_DATA_DIR`, started (or joined) by this process and
   stopped when the last process using it exits.

In cases 2 and 3 the URLs found are exported to this process's environment, so the processes it
starts (Dagster's webserver, daemon, code server and run workers) reach the same server directly.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

import dagster as dg
from dagster_postgres import DagsterPostgresStorage

from vatstats_assets.settings import Settings, validate_database_url
from vatstats_assets.storage.server import ensure_private_database, export_environment, open_server

DAGSTER_URL_VARIABLE = "VATSTATS_DAGSTER_PG_URL"


def dagster_storage_url(environ: MutableMapping[str, str] | None = None) -> str:
    """The Dagster database's URL (see the module docstring); exports what it had to find."""
    environ = os.environ if environ is None else environ
    explicit = environ.get(DAGSTER_URL_VARIABLE, "").strip()
    if explicit:
        # Dagster's storage needs psycopg2: a plain postgresql:// URL is pinned to it.
        return validate_database_url(explicit, variable=DAGSTER_URL_VARIABLE)
    settings = Settings.from_env(dict(environ))
    server = open_server(settings)
    ensure_private_database(server, server.dagster_database)
    # The embedded server stays up while this process lives; children use the URL directly.
    export_environment(server, environ)
    return server.dagster_url


class VatstatsDagsterStorage(DagsterPostgresStorage):
    """dagster-postgres' storage, on the database `dagster_storage_url()` finds."""

    @classmethod
    def config_type(cls) -> dict:
        return {"should_autocreate_tables": dg.Field(bool, is_required=False, default_value=True)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(
            postgres_url=dagster_storage_url(),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            inst_data=inst_data,
        )
