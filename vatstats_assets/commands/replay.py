"""`vatstats replay DIR`: ingest an archive of saved snapshots (any layout, plain, gzip or zstd JSON)
in time order.

The rows are live ingestion's (the same parse, region filter and tick rows), minus the "never
older than the newest stored" rule, so archives of any date can be loaded. Worker processes read
and parse the files (commands/replay_prepare.py) while the main process writes them in batches of
consecutive snapshots, one transaction each (commands/archive_writer.py, storage/tick_batch.py):
the tables come out as writing them one at a time would leave them. Stored snapshots are skipped
without being read, so an interrupted replay resumes where it stopped; a day's partitions are made
(in their own transaction) before its first snapshot, and only for days the archive holds: years
with gaps cost no empty partitions.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC
from itertools import groupby
from pathlib import Path

from tqdm import tqdm

from vatstats_assets.commands.archive_writer import BATCH_SNAPSHOTS, ArchiveWriter
from vatstats_assets.commands.common import CommandError, load_settings, open_warehouse, run_command
from vatstats_assets.commands.replay_prepare import Preparer, ReplayOptions
from vatstats_assets.commands.snapshot_files import discover
from vatstats_assets.process_pool import one_per_core
from vatstats_assets.regions import RegionError, load_region, region_name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats replay",
        description="Ingest an archive of saved VATSIM snapshots (*.json, *.json.gz or *.json.zst, in the "
        "folder or any folder below it, e.g. one folder per day) in the order of their update_timestamp, "
        "into the rows live ingestion would store, each with the transceivers file kept beside it "
        "(<stem>.transceivers.json[.gz|.zst]) when there is one. Snapshots already stored are skipped, so an interrupted "
        "replay resumes where it stopped; files that are not valid snapshots are named and skipped, and "
        "the exit status is then 1.",
        epilog="example: vatstats simulate --offline /tmp/day --hours 24 && vatstats replay /tmp/day --region global",
    )
    parser.add_argument("directory", type=Path, help="folder holding the snapshots (searched recursively)")
    parser.add_argument("--region", help="which traffic to store: vatpac, global, or comma-separated boundary or "
                        "sector ids from VATSTATS_AIRSPACE_DIR's files (default VATSTATS_REGION)")
    parser.add_argument("--batch", type=int, default=BATCH_SNAPSHOTS,
                        help=f"snapshots written per transaction (default {BATCH_SNAPSHOTS}: ten minutes of feed)")
    parser.add_argument("--workers", type=int, default=one_per_core(),
                        help="processes reading and parsing files beside the writer (default: one a core; 0: none)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        name = region_name(args.region, settings.airspace_dir, setting="--region") if args.region else settings.region
        load_region(name, settings.airspace_dir)  # refuse a bad region before any work
    except RegionError as error:
        raise CommandError(str(error).rstrip(".")) from None
    if not args.directory.is_dir():
        raise CommandError(f"{str(args.directory)!r} is not a folder")
    if args.batch < 1 or args.workers < 0:
        raise CommandError("--batch must be 1 or more and --workers 0 or more")
    snapshots, refused = discover(args.directory)
    for path, reason in refused:
        print(f"vatstats: skipped {path.relative_to(args.directory)}: {reason}", file=sys.stderr)
    if not snapshots and not refused:
        raise CommandError(
            f"{str(args.directory)!r} holds no *.json, *.json.gz or *.json.zst snapshots, in it or below it"
        )
    options = ReplayOptions(args.directory, name, settings.airspace_dir, settings.store_names)
    progress = tqdm(total=len(snapshots), desc="replay", unit="snapshot", disable=args.quiet, file=sys.stderr)
    with open_warehouse(settings) as warehouse, Preparer(options, args.workers) as preparer, progress:
        replay = ArchiveWriter(warehouse.engine)
        for day, of_day in groupby(snapshots, key=lambda s: s.update_timestamp.astimezone(UTC).date()):
            saved = list(of_day)
            todo = [s.path for s in replay.start_day(day, saved)]
            progress.update(len(saved) - len(todo))  # stored already: not read
            batches = (todo[start:start + args.batch] for start in range(0, len(todo), args.batch))
            for prepared in preparer.prepared(batches):
                for file in prepared.refused:
                    refused.append((file.path, file.reason))
                    print(f"vatstats: skipped {file.path.relative_to(args.directory)}: {file.reason}",
                          file=sys.stderr)
                replay.write(prepared)
                progress.update(prepared.files)
    print(f"replayed {replay.written} snapshots ({replay.skipped} already stored, {len(refused)} files skipped) "
          f"in region {name}")
    return 1 if refused else 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
