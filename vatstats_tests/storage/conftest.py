import pytest

from vatstats_assets.storage.ingest import PreparedTick
from vatstats_tests.support.midnight_feed import midnight_ticks


@pytest.fixture(scope="session")
def ticks() -> list[PreparedTick]:
    """The prepared ticks of support/midnight_feed.py (a few seconds to make: once a session)."""
    return midnight_ticks()
