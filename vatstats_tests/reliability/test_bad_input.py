"""Bad configuration and bad arguments: one sentence naming what was wrong, and a non-zero exit.

The `vatstats` command runs as a user runs it, in a process of its own. Cases already covered by
vatstats_tests/test_cli_errors.py (a database URL with a foreign scheme, an unreachable server,
`replay --region europe`) are not repeated. All cases start at once: each spends most of its time
importing, and they do not depend on one another.
"""

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from vatstats_tests.reliability.cli_runs import start_vatstats

# A month ahead, not tomorrow: still the future if midnight UTC passes while the test runs.
NEXT_MONTH = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()


@dataclass(frozen=True)
class BadInput:
    args: tuple[str, ...]
    env: dict[str, str]
    says: tuple[str, ...]  # fragments the one sentence must contain


CASES: dict[str, BadInput] = {
    "feed-url-of-another-scheme": BadInput(
        ("status",), {"VATSTATS_FEED_URL": "ftp://status.vatsim.net/status.json"},
        ("VATSTATS_FEED_URL must be an http(s) URL", "ftp://status.vatsim.net/status.json")),
    "feed-url-without-its-colon": BadInput(
        ("status",), {"VATSTATS_FEED_URL": "https//status.vatsim.net/status.json"}, ("VATSTATS_FEED_URL",)),
    "database-url-with-a-port-that-is-no-number": BadInput(
        ("status",), {"VATSTATS_DATABASE_URL": "postgresql://vatstats@db.example:54x2/vatstats"},
        ("VATSTATS_DATABASE_URL has a port that is not a number",)),
    "database-url-without-a-host": BadInput(
        ("migrate",), {"VATSTATS_DATABASE_URL": "postgresql:///vatstats"}, ("VATSTATS_DATABASE_URL names no host",)),
    "database-url-that-is-no-url": BadInput(
        ("migrate",), {"VATSTATS_DATABASE_URL": "vatstats on the big server"},
        ("VATSTATS_DATABASE_URL must start with postgresql://",)),
    "unknown-region-in-the-environment": BadInput(
        ("replay", "."), {"VATSTATS_REGION": "europe"}, ("VATSTATS_REGION must be one of vatpac, global", "europe")),
    "backfill-ending-before-it-starts": BadInput(
        ("backfill", "traffic_movements", "--start", "2026-11-10", "--end", "2026-11-01"), {},
        ("--end 2026-11-01 is before --start 2026-11-10",)),
    "backfill-of-a-day-in-the-future": BadInput(
        ("backfill", "traffic_movements", "--start", "2026-11-01", "--end", NEXT_MONTH), {},
        (f"--end {NEXT_MONTH} is in the future",)),
    "backfill-of-a-day-that-does-not-exist": BadInput(
        ("backfill", "traffic_movements", "--start", "2026-02-30", "--end", "2026-03-01"), {},
        ("--start must be a date like", "2026-02-30")),
    "backfill-before-the-first-partition": BadInput(
        ("backfill", "flight_summaries", "--start", "2020-12-31", "--end", "2021-01-02"), {},
        ("--start 2020-12-31 is before the first partition",)),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess]:
    data_dir = tmp_path_factory.mktemp("data")  # nothing may start here; if something did, it stays contained
    running = {
        name: start_vatstats(*case.args, env={"VATSTATS_DATA_DIR": str(data_dir), **case.env}, cwd=data_dir,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for name, case in CASES.items()
    }
    finished = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=120)
        finished[name] = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return finished


@pytest.mark.parametrize("case", CASES)
def test_bad_input_ends_in_one_sentence_naming_it_and_a_nonzero_exit(outcomes, case: str) -> None:
    result = outcomes[case]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0
    assert len(lines) == 1 and lines[0].startswith("vatstats: error: ") and lines[0].endswith("."), result.stderr
    for fragment in CASES[case].says:
        assert fragment in lines[0]
