"""`vatstats replay DIR`: ingest an archive of saved snapshots (any layout, plain, gzip or zstd JSON)
in time order.

The same tick path as live ingestion (parse, region filter, one transaction per snapshot), minus
the "never older than the newest stored" rule, so archives of any date can be loaded. Work is
committed a snapshot at a time and stored snapshots are skipped, so an interrupted replay resumes
where it stopped; a day's partitions are made (in their own transaction) just before its first
snapshot, and only for days the archive holds: years with gaps cost no empty partitions.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from tqdm import tqdm

from vatstats_assets.commands.common import CommandError, load_settings, open_warehouse, run_command
from vatstats_assets.commands.snapshot_files import discover, read_body, transceivers_path
from vatstats_assets.core.feed import FeedFormatError
from vatstats_assets.core.transceivers import TransceiversFeed
from vatstats_assets.regions import RegionError, load_region, region_name
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.ingest import (
    TICK_PARTITIONED_TABLES,
    parse_and_compress,
    prepare_tick,
    stored_state,
    write_tick,
)
from vatstats_assets.storage.partitions import ensure_partitions


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats replay",
        description="Ingest an archive of saved VATSIM snapshots (*.json, *.json.gz or *.json.zst, in the "
        "folder or any folder below it, e.g. one folder per day) in the order of their update_timestamp, "
        "through the same path as live ingestion, each with the transceivers file kept beside it "
        "(<stem>.transceivers.json[.gz|.zst]) when there is one. Snapshots already stored are skipped, so an interrupted "
        "replay resumes where it stopped; files that are not valid snapshots are named and skipped, and "
        "the exit status is then 1.",
        epilog="example: vatstats simulate --offline /tmp/day --hours 24 && vatstats replay /tmp/day --region global",
    )
    parser.add_argument("directory", type=Path, help="folder holding the snapshots (searched recursively)")
    parser.add_argument("--region", help="which traffic to store: vatpac, global, or comma-separated boundary or "
                        "sector ids from VATSTATS_AIRSPACE_DIR's files (default VATSTATS_REGION)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        name = region_name(args.region, settings.airspace_dir, setting="--region") if args.region else settings.region
        region = load_region(name, settings.airspace_dir)
    except RegionError as error:
        raise CommandError(str(error).rstrip(".")) from None
    if not args.directory.is_dir():
        raise CommandError(f"{str(args.directory)!r} is not a folder")
    snapshots, refused = discover(args.directory)

    def shown(path: Path) -> str:
        return str(path.relative_to(args.directory))

    for path, reason in refused:
        print(f"vatstats: skipped {shown(path)}: {reason}", file=sys.stderr)
    if not snapshots and not refused:
        raise CommandError(
            f"{str(args.directory)!r} holds no *.json, *.json.gz or *.json.zst snapshots, in it or below it"
        )
    ingested = already = 0
    with open_warehouse(settings) as warehouse:
        engine = warehouse.engine
        partitioned_day: date | None = None
        for saved in tqdm(snapshots, desc="replay", unit="snapshot", disable=args.quiet, file=sys.stderr):
            day = saved.update_timestamp.astimezone(UTC).date()
            if day != partitioned_day:
                # One short transaction per day held (a lock per partition, released at once): never
                # one DDL transaction spanning the archive, whose locks ran out over years.
                with engine.begin() as conn:
                    ensure_partitions(conn, day, day, TICK_PARTITIONED_TABLES)
                partitioned_day = day
            with collector_paused():  # for the whole tick, as live ingestion (storage/gc_pause.py)
                try:
                    body = read_body(saved.path)
                    snapshot, compressed = parse_and_compress(body, store_names=settings.store_names)
                except FeedFormatError as error:
                    refused.append((saved.path, str(error)))
                    print(f"vatstats: skipped {shown(saved.path)}: {error}", file=sys.stderr)
                    continue
                with engine.connect() as conn:
                    if stored_state(conn, snapshot.update_timestamp).already_stored:
                        already += 1
                        continue
                tick = prepare_tick(snapshot, body, source=f"replay:{shown(saved.path)}",
                                    fetched_at=datetime.now(UTC), region=region,
                                    store_names=settings.store_names, compressed=compressed,
                                    transceivers=_transceivers_beside(saved.path))
                write_tick(engine, tick)
                ingested += 1
    print(f"replayed {ingested} snapshots ({already} already stored, {len(refused)} files skipped) "
          f"in region {name}")
    return 1 if refused else 0


def _transceivers_beside(snapshot: Path) -> TransceiversFeed:
    """The snapshot's transceivers file, or why it has none (stored as transceivers_missing)."""
    path = transceivers_path(snapshot)
    if path is None:
        return TransceiversFeed.not_received(NO_TRANSCEIVERS_FILE)
    try:
        return TransceiversFeed.received(read_body(path))
    except FeedFormatError as error:
        return TransceiversFeed.not_received(f"the transceivers file {path.name} is {error}")


NO_TRANSCEIVERS_FILE = "no transceivers file"


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
