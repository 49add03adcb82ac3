"""`vatstats dev`: PostgreSQL (embedded unless configured), migrations, the Dagster UI and daemon.

Dagster runs as `dagster dev` in its own process group: started from a non-interactive shell it
would otherwise ignore SIGINT/SIGTERM. On Ctrl-C or SIGTERM the whole group is stopped, then the
simulator and the embedded database, so nothing is left behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vatstats_assets.commands.common import CommandError, open_warehouse, run_command
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.server import export_environment

REPO_ROOT = Path(__file__).resolve().parents[2]
STOP_GRACE_S = 20  # dagster dev shuts its webserver, daemon and code server down in a few seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats dev",
        description="Start everything: PostgreSQL (embedded under VATSTATS_DATA_DIR unless "
        "VATSTATS_DATABASE_URL is set), migrations, and the Dagster UI with its daemon. "
        "With --simulate, a synthetic VATSIM feed on 127.0.0.1 is ingested instead of the live network.",
        epilog="example: vatstats dev --simulate --pilots 800   then open http://127.0.0.1:3000",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address of the UI (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=3000, help="port of the UI (default 3000)")
    parser.add_argument("--simulate", action="store_true", help="serve and ingest a simulated feed")
    parser.add_argument("--pilots", type=int, default=600, help="simulated pilots (default 600)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="simulated seconds per real second (default 1: a snapshot every 15 s)")
    parser.add_argument("--seed", type=int, default=7, help="simulator seed (default 7)")
    parser.add_argument("--sim-port", type=int, default=0, help="simulator port (default: any free port)")
    return parser


def prepare_dagster_home(data_dir: Path) -> Path:
    home = data_dir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    return home


def _start_simulator(args: argparse.Namespace):
    from vatstats_assets.sim.server import SimulatorServer

    simulator = SimulatorServer(port=args.sim_port, speed=args.speed, pilots=args.pilots, seed=args.seed)
    simulator.__enter__()
    return simulator


def _stop_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def run(args: argparse.Namespace) -> int:
    if args.pilots < 1 or args.speed <= 0:
        raise CommandError("--pilots must be at least 1 and --speed above 0")
    with open_warehouse(create_dagster_database=True) as warehouse:
        today = datetime.now(UTC).date()
        with warehouse.engine.begin() as conn:
            ensure_partitions(conn, today - timedelta(days=1), today + timedelta(days=2))
        env = export_environment(warehouse.server, dict(os.environ))
        env["DAGSTER_HOME"] = str(prepare_dagster_home(warehouse.settings.data_dir))
        simulator = _start_simulator(args) if args.simulate else None
        if simulator is not None:
            env["VATSTATS_FEED_URL"] = simulator.status_url
        print(f"vatstats: warehouse at {warehouse.server.describe()}"
              f"{' (embedded)' if warehouse.server.is_embedded else ''}", file=sys.stderr)
        if simulator is not None:
            print(f"vatstats: simulated feed at {simulator.status_url}", file=sys.stderr)
        print(f"vatstats: Dagster UI at http://{args.host}:{args.port}", file=sys.stderr, flush=True)
        dagster = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", str(REPO_ROOT / "workspace.yaml"),
             "-h", args.host, "-p", str(args.port)],
            cwd=REPO_ROOT, env=env, start_new_session=True,
        )
        stopping = threading.Event()

        def request_stop(signum, frame):  # noqa: ARG001 - signal handler signature
            stopping.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not stopping.is_set() and dagster.poll() is None:
                stopping.wait(0.5)
        finally:
            print("vatstats: stopping Dagster, the simulator and the database...", file=sys.stderr, flush=True)
            _stop_group(dagster)
            if simulator is not None:
                simulator.__exit__(None, None, None)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        code = dagster.returncode
    return 0 if stopping.is_set() else (code or 0)


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
