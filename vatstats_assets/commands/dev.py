"""`vatstats dev`: PostgreSQL (embedded unless configured), migrations, the Dagster UI and daemon.

Dagster runs as `dagster dev` in its own process group: started from a non-interactive shell it
would otherwise ignore SIGINT/SIGTERM. On Ctrl-C or SIGTERM the whole group is stopped, then the
simulator and the embedded database, so nothing is left behind.

It fails fast: a port already in use is refused before anything starts, and if the UI does not
come up, or Dagster stops on its own (`dagster dev` stops when its webserver or daemon exits), the
whole stack is stopped with one sentence and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import MutableMapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import yaml

from vatstats_assets.commands.common import CommandError, open_warehouse, run_command
from vatstats_assets.settings import SettingsError
from vatstats_assets.storage.embedded_tcp import DEFAULT_LISTEN, parse_listen
from vatstats_assets.storage.freed_memory import keeping_freed_memory
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.server import export_environment

REPO_ROOT = Path(__file__).resolve().parents[2]
BACKFILL_TAG = "dagster/backfill"  # the tag Dagster puts on every run of a backfill
STOP_GRACE_S = 20  # dagster dev shuts its webserver, daemon and code server down in a few seconds
# Then whatever it left of its group has this long (it got the SIGTERM too) before it is killed.
GROUP_GRACE_S = 5
# Loading the code location and migrating Dagster's storage takes 10-30 s on a 2-core machine.
UI_START_TIMEOUT_S = 180


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
    parser.add_argument("--api-port", type=int, default=8000,
                        help="port of the read API, `vatstats serve`, on the same host (default 8000; 0: not started)")
    parser.add_argument("--simulate", action="store_true", help="serve and ingest a simulated feed")
    parser.add_argument("--pilots", type=int, default=600, help="simulated pilots (default 600)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="simulated seconds per real second (default 1: a snapshot every 15 s)")
    parser.add_argument("--seed", type=int, default=7, help="simulator seed (default 7)")
    parser.add_argument("--sim-port", type=int, default=0, help="simulator port (default: any free port)")
    parser.add_argument("--listen", nargs="?", const=DEFAULT_LISTEN, metavar="[HOST:]PORT",
                        help="let the embedded PostgreSQL accept TCP there, password required, for BI tools "
                        f"(default {DEFAULT_LISTEN}; `vatstats url --reader` prints the connection string)")
    return parser


def prepare_dagster_home(data_dir: Path) -> Path:
    """DAGSTER_HOME under the data folder, with the project's dagster.yaml, its backfill run limit
    set for this machine (backfill_runs_at_once)."""
    home = data_dir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    for limit in config["concurrency"]["runs"]["tag_concurrency_limits"]:
        if limit["key"] == BACKFILL_TAG:
            limit["limit"] = backfill_runs_at_once(os.cpu_count() or 1)
    text = "# Written by `vatstats dev` from the project's dagster.yaml (see there): do not edit.\n"
    (home / "dagster.yaml").write_text(text + yaml.safe_dump(config, sort_keys=False))
    return home


def backfill_runs_at_once(cores: int) -> int:
    """Backfill runs at once: one per two cores. A run keeps a core busy and PostgreSQL part of
    another; live ingestion needs the rest. On 2 cores two runs side by side finished a week 8 %
    sooner than one, and ingestion missed 2 of 26 snapshots meanwhile, none with one
    (bench/week_backfill.py)."""
    return max(1, cores // 2)


def refuse_busy_port(host: str, port: int, what: str = "the Dagster UI", flag: str = "--port") -> None:
    """Stop before starting anything when a port is taken (the webserver would only log it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As the webserver binds: a port in TIME_WAIT after a previous run is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(
                f"port {port} on {host} is not available for {what} ({error.strerror or error}); "
                f"stop what uses it or choose another port with {flag}"
            ) from None


def _ui_answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/server_info", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _start_simulator(args: argparse.Namespace):
    from vatstats_assets.sim.server import SimulatorServer

    simulator = SimulatorServer(port=args.sim_port, speed=args.speed, pilots=args.pilots, seed=args.seed)
    simulator.__enter__()
    return simulator


def _start_api(args: argparse.Namespace, env: MutableMapping[str, str]) -> subprocess.Popen:
    """`vatstats serve` beside Dagster, on the same (already started) server, in its own process group."""
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"vatstats: starting the read API at http://{host}:{args.api_port} (docs at /docs)",
          file=sys.stderr, flush=True)
    return subprocess.Popen(
        [sys.executable, "-m", "vatstats_assets.cli", "serve", "--host", args.host, "--port", str(args.api_port)],
        cwd=REPO_ROOT, env=env, start_new_session=True,
    )


def _stop_group(process: subprocess.Popen) -> None:
    """Stop the process and everything in its group (each was started in a session of its own)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
    # A leader still running after its grace is killed at once, with the rest of its group.
    _end_group(process.pid, grace_s=GROUP_GRACE_S if process.poll() is not None else 0)
    process.wait()


def _end_group(group: int, grace_s: float) -> None:
    """Kill what the group's leader left behind once the grace is over: Dagster's code servers can
    outlive `dagster dev` (one was seen serving for 40 minutes after it had exited)."""
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)  # ProcessLookupError: nobody is left in the group
        except ProcessLookupError:
            return
        time.sleep(0.2)
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


def watch(dagster: subprocess.Popen, ui_url: str, stopping: threading.Event,
          api: subprocess.Popen | None = None) -> None:
    """Until asked to stop: the UI must answer within UI_START_TIMEOUT_S, and Dagster (and the read
    API) keep running."""
    started, up = time.monotonic(), False
    while not stopping.is_set():
        if dagster.poll() is not None:
            when = "while running" if up else "before its UI came up"
            raise CommandError(
                f"Dagster stopped {when} (exit status {dagster.returncode}): its webserver or daemon "
                "exited; the lines above say why. Everything vatstats started has been stopped"
            )
        if api is not None and api.poll() is not None:
            raise CommandError(
                f"the read API (vatstats serve) stopped (exit status {api.returncode}); the lines above say "
                "why. Everything vatstats started has been stopped"
            )
        if not up:
            up = _ui_answers(ui_url)
            if up:
                print(f"vatstats: ready: the Dagster UI answers at {ui_url}", file=sys.stderr, flush=True)
            elif time.monotonic() - started > UI_START_TIMEOUT_S:
                raise CommandError(f"the Dagster UI did not answer at {ui_url} within {UI_START_TIMEOUT_S} s")
        stopping.wait(0.5 if up else 1.0)


def run(args: argparse.Namespace) -> int:
    if args.pilots < 1 or args.speed <= 0:
        raise CommandError("--pilots must be at least 1 and --speed above 0")
    refuse_busy_port(args.host, args.port)
    if args.api_port:
        refuse_busy_port(args.host, args.api_port, "the read API", "--api-port (0 starts none)")
    try:
        listen = parse_listen(args.listen) if args.listen else None
    except SettingsError as error:
        raise CommandError(str(error)) from None
    with open_warehouse(create_dagster_database=True, listen=listen) as warehouse:
        today = datetime.now(UTC).date()
        with warehouse.engine.begin() as conn:
            ensure_partitions(conn, today - timedelta(days=1), today + timedelta(days=2))
        # Run workers inherit the daemon's environment: they reuse the memory they free (freed_memory.py).
        env = export_environment(warehouse.server, keeping_freed_memory(os.environ))
        env["DAGSTER_HOME"] = str(prepare_dagster_home(warehouse.settings.data_dir))
        simulator = _start_simulator(args) if args.simulate else None
        if simulator is not None:
            env["VATSTATS_FEED_URL"] = simulator.status_url
        print(f"vatstats: warehouse at {warehouse.server.describe()}"
              f"{' (embedded)' if warehouse.server.is_embedded else ''}", file=sys.stderr)
        if simulator is not None:
            print(f"vatstats: simulated feed at {simulator.status_url}", file=sys.stderr)
        if warehouse.server.tcp_address is not None:
            host, port = warehouse.server.tcp_address
            print(f"vatstats: PostgreSQL accepts TCP on {host}:{port} by password; "
                  "`vatstats url --reader` prints the read-only connection string", file=sys.stderr)
        ui_url = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}"
        print(f"vatstats: starting the Dagster UI at {ui_url}", file=sys.stderr, flush=True)
        env.setdefault("VATSTATS_UI_URL", ui_url)  # the links in alerts point at this UI
        dagster = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", str(REPO_ROOT / "workspace.yaml"),
             "-h", args.host, "-p", str(args.port)],
            cwd=REPO_ROOT, env=env, start_new_session=True,
        )
        api = _start_api(args, env) if args.api_port else None
        stopping = threading.Event()

        def request_stop(signum, frame):  # noqa: ARG001 - signal handler signature
            stopping.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            watch(dagster, ui_url, stopping, api)
        finally:
            print("vatstats: stopping Dagster, the read API, the simulator and the database...",
                  file=sys.stderr, flush=True)
            if api is not None:
                _stop_group(api)
            _stop_group(dagster)
            if simulator is not None:
                simulator.__exit__(None, None, None)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
