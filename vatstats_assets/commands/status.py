"""`vatstats status [--json]`: the live picture of the network, read in one query."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from vatstats_assets.commands.common import open_warehouse, run_command
from vatstats_assets.storage.status import NetworkStatus, network_status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats status",
        description="Show the live picture from the warehouse: pilots and controllers online in the "
        "newest stored snapshot, pilot connections, movements and snapshots so far today (UTC), and "
        "how old the newest snapshot is. One database round trip.",
        epilog="example: vatstats status --json | jq .pilots_online",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    return parser


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.1f} h ago"


def status_table(status: NetworkStatus) -> str:
    """The figures as aligned `label  value` lines."""
    if status.last_snapshot_at is None:
        last = "none stored yet"
    else:
        last = f"{status.last_snapshot_at.astimezone(UTC):%Y-%m-%d %H:%M:%S}Z ({_age(status.last_snapshot_age_s or 0.0)})"
    rows = [
        ("last snapshot", last),
        ("pilots online", str(status.pilots_online)),
        ("controllers online", str(status.controllers_online)),
        ("flights today", str(status.flights_today)),
        ("movements today", str(status.movements_today)),
        ("snapshots today", str(status.snapshots_today)),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def run(args: argparse.Namespace) -> int:
    with open_warehouse() as warehouse, warehouse.engine.connect() as conn:
        status = network_status(conn, datetime.now(UTC))
    print(json.dumps(status.as_json()) if args.json else status_table(status))
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
