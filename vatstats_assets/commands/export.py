"""`vatstats export TABLE --start D --end D --format parquet|csv --out DIR`: a file per table and UTC day.

Reads as the read-only role (or VATSTATS_READ_DATABASE_URL, e.g. a replica) through `open_reader`,
and writes with storage/export.py: streamed a chunk at a time, each file complete or absent.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from tqdm import tqdm

from vatstats_assets.commands.common import CommandError, load_settings, open_reader, run_command
from vatstats_assets.core.exports import EXPORT_TABLES, FORMATS, ExportRequestError, parse_request
from vatstats_assets.storage.export import CHUNK_ROWS, check_folder, export_days
from vatstats_assets.storage.server import first_error_line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats export",
        description="Write a table's rows to one file per UTC day, DIR/<table>/<table>_<YYYY-MM-DD>.<format>, "
        "for every day from --start to --end inclusive. Rows are streamed (memory stays flat however big "
        "the day), each file is written under a temporary name and renamed when complete, and a day with "
        "no rows gets an empty file with the columns. Existing files of those days are replaced. Reads as "
        "the read-only role vatstats_reader, or from VATSTATS_READ_DATABASE_URL when set. Tables and the "
        "column that puts a row in a day: " + ", ".join(f"{n} ({t.day_column})" for n, t in EXPORT_TABLES.items())
        + "; flights and atc_positions are the connections last seen that day.",
        epilog="examples:\n  vatstats export traffic_movements --start 2026-11-01 --end 2026-11-07 --out exports\n"
        "  vatstats export all --start 2026-11-01 --end 2026-11-01 --format csv --out /srv/exports",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("table", help="a table, a comma-separated list of tables, or all")
    parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD (UTC)")
    parser.add_argument("--end", required=True, help="last day (inclusive), YYYY-MM-DD (UTC)")
    parser.add_argument("--format", default="parquet", help=f"{' or '.join(FORMATS)} (default parquet)")
    parser.add_argument("--out", required=True, type=Path, help="folder to write into (created if missing)")
    parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS,
                        help=f"rows fetched and written at a time, a Parquet row group (default {CHUNK_ROWS:,})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    # Everything the user typed is checked before the warehouse is opened or a file written.
    try:
        request = parse_request(args.table, args.start, args.end, args.format, today=datetime.now(UTC).date())
        folder = check_folder(args.out)
    except ExportRequestError as error:
        raise CommandError(str(error)) from None
    if args.chunk_rows < 1:
        raise CommandError(f"--chunk-rows must be a positive number of rows, not {args.chunk_rows}")
    days = request.days
    files = rows = size = 0
    with open_reader(settings, pool_size=1) as reader:
        bar = tqdm(total=len(request.tables) * len(days), desc="export", unit="file", disable=args.quiet,
                   file=sys.stderr)
        try:
            with bar:
                for exported in export_days(reader.engine, request.tables, days, request.fmt, folder,
                                            chunk_rows=args.chunk_rows):
                    files, rows, size = files + 1, rows + exported.rows, size + exported.bytes
                    bar.write(f"{exported.path}  {exported.rows:,} rows  {exported.bytes:,} bytes", file=sys.stdout)
                    bar.update()
        except OSError as error:
            raise CommandError(f"{error.filename or folder!s} cannot be written ({error.strerror or error})") from None
        except sa.exc.DBAPIError as error:
            raise CommandError(f"the warehouse could not be read: {first_error_line(error)}") from None
    tables = ", ".join(t.name for t in request.tables)
    print(f"exported {files} files ({rows:,} rows, {size:,} bytes) of {tables} "
          f"from {request.start} to {request.end} to {folder}")
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
