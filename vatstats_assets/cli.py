"""`vatstats`: the command line. Each command lives in its own module and parses its own options."""

from __future__ import annotations

import importlib
import sys

from vatstats_assets.storage.freed_memory import restart_keeping_freed_memory

# command -> (module:function taking argv and returning an exit status, one-line summary)
COMMANDS: dict[str, tuple[str, str]] = {
    "dev": ("vatstats_assets.commands.dev:main", "start PostgreSQL, the Dagster UI and daemon (and a simulated feed)"),
    "simulate": ("vatstats_assets.sim.command:main", "serve a synthetic VATSIM feed, or write a day of it offline"),
    "migrate": ("vatstats_assets.commands.migrate:main", "apply the SQL migrations to the warehouse"),
    "replay": ("vatstats_assets.commands.replay:main", "ingest a folder of saved snapshots in time order"),
    "backfill": ("vatstats_assets.commands.backfill:main", "materialise a daily asset for a range of days"),
    "status": ("vatstats_assets.commands.status:main", "the live picture in one query"),
    "export": ("vatstats_assets.commands.export:main", "write tables to Parquet or CSV, one file per table and UTC day"),
    "serve": ("vatstats_assets.commands.serve:main", "the read API: JSON, OpenAPI docs, Prometheus metrics"),
    "url": ("vatstats_assets.commands.url:main", "the warehouse's connection string (--reader: the read-only role's)"),
    "bench": ("bench.suite:main", "run the benchmarks and print ratios against their baselines"),
}

# Commands that run assets in their own process: started with malloc told to reuse freed memory.
RUN_ASSETS = ("backfill",)
USAGE = "usage: vatstats COMMAND [options]   (vatstats COMMAND --help for a command's options)"


def _help() -> str:
    lines = [USAGE, "", "commands:"]
    lines += [f"  {name:<10} {summary}" for name, (_, summary) in COMMANDS.items()]
    lines += ["", "example: vatstats dev --simulate   then open http://127.0.0.1:3000"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        print(_help())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"vatstats: error: unknown command {name!r}; choose one of {', '.join(COMMANDS)}.", file=sys.stderr)
        return 2
    if name in RUN_ASSETS and argv is None:  # a real command line, not a caller in this process
        restart_keeping_freed_memory(args)
    module_name, function_name = COMMANDS[name][0].split(":")
    command = getattr(importlib.import_module(module_name), function_name)
    try:
        return int(command(rest) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
