"""The read API over the test database, as `vatstats serve` runs it: connected as the read-only role
vatstats_reader, so every test also proves the API never needs to write. Rows are inserted through
the `engine` fixture (the warehouse's owner), which empties every table first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from vatstats_assets.api.app import create_app
from vatstats_assets.settings import Settings


@pytest.fixture(scope="session")
def api_settings() -> Settings:
    return Settings.from_env({})


@pytest.fixture
def api(engine: sa.Engine, reader_engine: sa.Engine, api_settings: Settings) -> Iterator[TestClient]:
    """A client of a fresh app (its own metrics) over an emptied warehouse."""
    with TestClient(create_app(reader_engine, api_settings), raise_server_exceptions=False) as client:
        yield client
