"""`vatstats migrate`: apply the versioned SQL files under sql/migrations/."""

from __future__ import annotations

import argparse

from vatstats_assets.commands.common import open_warehouse, run_command


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="vatstats migrate",
        description="Apply pending SQL migrations (sql/migrations/NNN_*.sql) to the warehouse, in order, "
        "once each. Safe to run any number of times.",
        epilog="example: VATSTATS_DATABASE_URL=postgresql://postgres@127.0.0.1/vatstats vatstats migrate",
    )
    parser.parse_args(argv)

    def body() -> int:
        with open_warehouse(migrate_schema=False) as warehouse:
            from vatstats_assets.storage.migrations import migrate

            applied = migrate(warehouse.engine)
            where = warehouse.server.describe()
        print(f"applied {len(applied)} migrations to {where}" + (": " + ", ".join(applied) if applied else " (up to date)"))
        return 0

    return run_command(body)
