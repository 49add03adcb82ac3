"""A short simulated period as snapshot files, and replaying them the way `vatstats replay` does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from vatstats_assets.commands import replay
from vatstats_assets.sim import write_offline

# A quarter of an hour inside one UTC day (one daily partition) with 150 pilots: about 25
# departures and 25 arrivals, 60 snapshots, replayed in a few seconds.
SIMULATED_START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
SIMULATED_DAY = SIMULATED_START.date().isoformat()
SIMULATED_HOURS = 0.25
SIMULATED_PILOTS = 150


def write_snapshot_files(folder: Path) -> None:
    write_offline(folder, hours=SIMULATED_HOURS, pilots=SIMULATED_PILOTS, seed=5, start=SIMULATED_START)


def replay_folder(folder: Path, database_url: str) -> int:
    """`vatstats replay FOLDER --region global` in this process, into `database_url`; its exit status."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VATSTATS_DATABASE_URL", database_url)
        return replay.main([str(folder), "--region", "global", "--quiet"])
