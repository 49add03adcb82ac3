"""`vatstats backfill ASSET [ASSET ...] --start D --end D`: recompute daily assets for a range of days.

Runs are recorded in Dagster's own storage (so the UI's partition view shows the days as
materialised) and follow the assets' backfill policy: up to seven days per run, never a run per day,
executed in this process one after another.
Several assets run together, in the order of their dependencies (ingest_rebuild, then
traffic_movements, then the summaries), in each run.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime, timedelta

from tqdm import tqdm

from vatstats_assets.commands.common import CommandError, load_settings, open_warehouse, run_command
from vatstats_assets.commands.dev import prepare_dagster_home
from vatstats_assets.storage.server import export_environment

DAYS_PER_RUN = 7  # the same as defs.partitions.WEEKLY_BACKFILL
# Dagster's documented tags for running a range of partitions in a single run.
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date like 2026-11-01, not {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats backfill",
        description="Materialise a daily-partitioned asset (traffic_movements, movement_summaries, "
        "flight_summaries, controller_summaries, network_daily_stats, or ingest_rebuild: flights, "
        "atc_positions, flight_positions and tuning runs re-derived from the raw snapshots still held) for every UTC day "
        "from --start to --end inclusive, seven days per Dagster run, with a progress bar. Re-running a day "
        "replaces it.",
        epilog="example: vatstats backfill ingest_rebuild traffic_movements movement_summaries flight_summaries "
        "controller_summaries network_daily_stats --start 2026-11-01 --end 2026-11-07",
    )
    parser.add_argument("assets", nargs="+", metavar="ASSET",
                        help="the asset's name, e.g. traffic_movements; several run together in dependency order")
    parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    parser.add_argument("--end", required=True, help="last day (inclusive), YYYY-MM-DD")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def day_chunks(start: date, end: date, size: int = DAYS_PER_RUN) -> list[tuple[date, date]]:
    chunks, first = [], start
    while first <= end:
        last = min(first + timedelta(days=size - 1), end)
        chunks.append((first, last))
        first = last + timedelta(days=1)
    return chunks


def _failure_reason(result) -> str:
    """The failed step's own sentence (a dg.Failure's description, else the error's first line)."""
    for event in reversed(result.get_step_failure_events()):
        data = event.step_failure_data
        if data.user_failure_data is not None and data.user_failure_data.description:
            return data.user_failure_data.description
        if data.error is not None and data.error.message.strip():
            return data.error.message.strip().splitlines()[0]
    return ""


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    start, end = _day(args.start, "--start"), _day(args.end, "--end")
    today = datetime.now(UTC).date()
    if end < start:
        raise CommandError(f"--end {end} is before --start {start}")
    if end > today:
        raise CommandError(f"--end {end} is in the future (today is {today} UTC)")
    if start < settings.partitions_start:
        raise CommandError(f"--start {start} is before the first partition, VATSTATS_PARTITIONS_START={settings.partitions_start}")

    import dagster as dg  # imported here: the errors above need no Dagster start-up

    with open_warehouse(settings, create_dagster_database=True) as warehouse:
        export_environment(warehouse.server)
        os.environ.setdefault("DAGSTER_HOME", str(prepare_dagster_home(settings.data_dir)))
        from vatstats_assets.definitions import build_definitions

        # Settings read again: the environment now names the server opened above.
        defs = build_definitions(load_settings())

        graph = defs.resolve_asset_graph()
        daily = sorted(n.key.to_user_string() for n in graph.asset_nodes if n.partitions_def)
        asset_keys = []
        for name in dict.fromkeys(args.assets):
            asset_key = dg.AssetKey(name)
            if name not in daily:
                raise CommandError(f"{name!r} is not a daily asset; choose from {', '.join(daily)}")
            asset_keys.append(asset_key)
        # Resolved from the Definitions, the assets carry their resources with them.
        assets = [defs.resolve_assets_def(key) for key in asset_keys]
        label = ", ".join(key.to_user_string() for key in asset_keys)
        instance = dg.DagsterInstance.get()
        chunks = day_chunks(start, end)
        total_days = (end - start).days + 1
        print(f"backfilling {label} for {total_days} days in {len(chunks)} runs", file=sys.stderr)
        with tqdm(total=total_days, desc=label, unit="day", disable=args.quiet, file=sys.stderr) as bar:
            for first, last in chunks:
                bar.set_postfix_str(f"{first}..{last}")
                result = dg.materialize(
                    assets,
                    selection=asset_keys,
                    instance=instance,
                    # The progress bar says what is happening; the full event log is in the UI.
                    run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
                    tags={RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat(),
                          "vatstats/backfill": f"{label}:{start}..{end}"},
                    raise_on_error=False,
                )
                if not result.success:
                    reason = _failure_reason(result)
                    raise CommandError(
                        f"the run for {first}..{last} failed{': ' + reason.rstrip('.') if reason else ''} "
                        f"(run {result.run_id}; see it in the Dagster UI)"
                    )
                bar.update((last - first).days + 1)
    print(f"backfilled {label} from {start} to {end} ({total_days} days, {len(chunks)} runs)")
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
