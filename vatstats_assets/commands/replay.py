"""`vatstats replay DIR`: ingest saved snapshots (plain or gzipped JSON) in time order.

The same tick path as live ingestion (parse, region filter, one transaction per snapshot), minus
the "never older than the newest stored" rule, so archives of any date can be loaded.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from vatstats_assets.commands.common import CommandError, load_settings, open_warehouse, run_command
from vatstats_assets.core.feed import FeedFormatError, peek_update_timestamp
from vatstats_assets.core.region import region as region_named
from vatstats_assets.settings import REGIONS
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.ingest import (
    TICK_PARTITIONED_TABLES,
    parse_and_compress,
    prepare_tick,
    stored_state,
    write_tick,
)
from vatstats_assets.storage.partitions import ensure_partitions

SNAPSHOT_SUFFIXES = (".json", ".json.gz")


@dataclass(frozen=True)
class SavedSnapshot:
    path: Path
    update_timestamp: datetime


def read_body(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise FeedFormatError(f"not a readable gzip file ({error})") from None
    return data


def discover(directory: Path) -> tuple[list[SavedSnapshot], list[tuple[Path, str]]]:
    """Valid snapshots sorted by update_timestamp, and the files refused with a reason."""
    found, refused = [], []
    for path in sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith(SNAPSHOT_SUFFIXES)):
        try:
            found.append(SavedSnapshot(path, peek_update_timestamp(read_body(path))))
        except FeedFormatError as error:
            refused.append((path, str(error)))
    found.sort(key=lambda s: s.update_timestamp)
    return found, refused


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats replay",
        description="Ingest a folder of saved VATSIM snapshots (*.json or *.json.gz) in time order, "
        "through the same path as live ingestion. Snapshots already stored are skipped; files that "
        "are not valid snapshots are named and skipped, and the exit status is then 1.",
        epilog="example: vatstats simulate --offline /tmp/day --hours 24 && vatstats replay /tmp/day --region global",
    )
    parser.add_argument("directory", type=Path, help="folder holding the snapshots")
    parser.add_argument("--region", help=f"which traffic to store: {' or '.join(REGIONS)} (default VATSTATS_REGION)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    region_name = (args.region or settings.region).lower()
    if region_name not in REGIONS:
        raise CommandError(f"--region must be one of {', '.join(REGIONS)}, not {args.region!r}")
    if not args.directory.is_dir():
        raise CommandError(f"{str(args.directory)!r} is not a folder")
    snapshots, refused = discover(args.directory)
    for path, reason in refused:
        print(f"vatstats: skipped {path.name}: {reason}", file=sys.stderr)
    if not snapshots and not refused:
        raise CommandError(f"{str(args.directory)!r} holds no *.json or *.json.gz snapshots")
    ingested = already = 0
    with open_warehouse(settings) as warehouse:
        engine = warehouse.engine
        if snapshots:
            # Partitions for every day in the archive up front: no DDL between ticks.
            with engine.begin() as conn:
                ensure_partitions(conn, snapshots[0].update_timestamp.date(),
                                  snapshots[-1].update_timestamp.date(), TICK_PARTITIONED_TABLES)
        for saved in tqdm(snapshots, desc="replay", unit="snapshot", disable=args.quiet, file=sys.stderr):
            with collector_paused():  # for the whole tick, as live ingestion (storage/gc_pause.py)
                try:
                    body = read_body(saved.path)
                    snapshot, compressed = parse_and_compress(body, store_names=settings.store_names)
                except FeedFormatError as error:
                    refused.append((saved.path, str(error)))
                    print(f"vatstats: skipped {saved.path.name}: {error}", file=sys.stderr)
                    continue
                with engine.connect() as conn:
                    if stored_state(conn, snapshot.update_timestamp).already_stored:
                        already += 1
                        continue
                tick = prepare_tick(snapshot, body, source=f"replay:{saved.path.name}",
                                    fetched_at=datetime.now(UTC), region=region_named(region_name),
                                    store_names=settings.store_names, compressed=compressed)
                write_tick(engine, tick)
                ingested += 1
    print(f"replayed {ingested} snapshots ({already} already stored, {len(refused)} files skipped) "
          f"in region {region_name}")
    return 1 if refused else 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
