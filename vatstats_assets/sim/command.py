"""`vatstats simulate`: serve a synthetic VATSIM feed, or write a simulated day to disk."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from vatstats_assets.core.airspace import Airspace
from vatstats_assets.sim.errors import SimulatorError
from vatstats_assets.sim.faults import FAULT_MODES
from vatstats_assets.sim.timefmt import parse_utc

EXAMPLES = """\
examples:
  vatstats simulate --speed 60
      serve http://127.0.0.1:8765/status.json, one simulated minute per real second
  vatstats simulate --port 0 --pilots 50 --seed 1 --truth /tmp/truth.jsonl --verbose
      a small feed on a free port, writing the ground truth as it goes, logging requests
  vatstats simulate --fault http429
      every data request answers 429 with Retry-After: 7 (or add ?fault=MODE to one request)
  vatstats simulate --fault transceivers_down
      the data URL behaves, the transceivers URL answers 503
  vatstats simulate --offline /tmp/day --hours 24 --pilots 1500 --seed 7 --start 2026-11-20T00:00:00Z
      write 5,760 gzipped snapshots, each with its transceivers feed, and ground-truth.jsonl into /tmp/day
  vatstats simulate --offline /tmp/day --hours 2 --pilots 200 --airspace vatstats_tests/fixtures/airspace
      the same, with every sector entry and exit of every connection in the ground truth

fault modes: """ + ", ".join(FAULT_MODES)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One sentence and exit 2, without the usage block argparse would print.
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vatstats simulate",
        description="Serve a synthetic VATSIM v3 feed with ground truth, or write a simulated period to disk.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on; 0 picks a free one (default: 8765)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="simulated seconds per real second; 60 = a new snapshot every 0.25 s (default: 1)")
    parser.add_argument("--pilots", type=int, default=1500,
                        help="pilots online at any time, on average (default: 1500)")
    parser.add_argument("--controllers", type=int, default=None,
                        help="controllers and observers online on average (default: one per 12.5 pilots, 120 for 1500)")
    parser.add_argument("--seed", type=int, default=7,
                        help="random seed: same seed and arguments, same bytes (default: 7)")
    parser.add_argument("--start", default=None,
                        help="simulated start instant in UTC, e.g. 2026-11-20T00:00:00Z (default: now, to the minute)")
    parser.add_argument("--truth", metavar="FILE", default=None,
                        help="write the ground truth (JSON lines) to FILE as it goes")
    parser.add_argument("--fault", metavar="MODE", default=None, help="apply a fault mode to every data request "
                        "(the transceivers_* modes: to every transceivers request)")
    parser.add_argument("--verbose", action="store_true", help="log one line per request to stderr")
    parser.add_argument("--offline", metavar="DIR", default=None,
                        help="write snapshots to DIR instead of serving them (each with its transceivers feed "
                        "beside it, <stem>.transceivers.json.gz)")
    parser.add_argument("--hours", type=float, default=24.0,
                        help="offline: how many simulated hours to write (default: 24)")
    parser.add_argument("--airspace", metavar="DIR", default=None,
                        help="a folder of sector files (as VATSTATS_AIRSPACE_DIR): record every connection's "
                        "sector entries and exits in the ground truth")
    return parser


def _validated(args: argparse.Namespace) -> datetime:
    """Check the arguments; return the start instant. Raises SimulatorError with one sentence."""
    if args.pilots < 0:
        raise SimulatorError(f"--pilots must be zero or more, not {args.pilots}")
    if args.controllers is not None and args.controllers < 0:
        raise SimulatorError(f"--controllers must be zero or more, not {args.controllers}")
    if not args.speed > 0:
        raise SimulatorError(f"--speed must be a positive number, not {args.speed:g}")
    if not args.hours > 0:
        raise SimulatorError(f"--hours must be a positive number, not {args.hours:g}")
    if not 0 <= args.port <= 65535:
        raise SimulatorError(f"--port must be between 0 and 65535, not {args.port}")
    if args.fault is not None and args.fault not in FAULT_MODES:
        raise SimulatorError(f"--fault {args.fault!r} is not a fault mode; choose one of: {', '.join(FAULT_MODES)}")
    if args.start is None:
        return datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        return parse_utc(args.start)
    except ValueError:
        raise SimulatorError(f"--start {args.start!r} is not a date-time such as 2026-11-20T00:00:00Z") from None


def _airspace(args: argparse.Namespace) -> Airspace | None:
    if args.airspace is None:
        return None
    from vatstats_assets.core.airspace import AirspaceError, load_airspace

    try:
        return load_airspace(Path(args.airspace))
    except AirspaceError as error:
        raise SimulatorError(f"--airspace: {error}") from None


def _check_truth_path(path: str) -> None:
    try:
        with open(path, "ab"):
            pass
    except OSError as error:
        raise SimulatorError(f"cannot write the ground truth to {path} ({error.strerror or error})") from None


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # --help (0), or a usage error already printed as one sentence (2)
        return stop.code if isinstance(stop.code, int) else 2
    try:
        start = _validated(args)
        if args.offline is not None:
            return _offline(args, start)
        return _serve(args, start)
    except SimulatorError as error:
        print(f"vatstats simulate: {error}", file=sys.stderr)
        return 2


def _offline(args: argparse.Namespace, start: datetime) -> int:
    from vatstats_assets.sim.offline import write_offline

    run = write_offline(
        Path(args.offline), hours=args.hours, pilots=args.pilots, seed=args.seed, start=start,
        controllers=args.controllers, progress=sys.stderr, airspace=_airspace(args),
    )
    print(
        f"vatstats simulate: wrote {run.snapshots} snapshots ({run.bytes_written / 1e6:.1f} MB gzipped) and "
        f"{run.directory / 'ground-truth.jsonl'} in {run.seconds:.1f} s: {run.departures} departures, "
        f"{run.arrivals} arrivals, {run.completed_flights} completed flights, "
        f"{run.controller_sessions} controller sessions, {run.contacts} ATC contacts"
        + (f", {run.sector_stays} sector stays" if args.airspace is not None else ""),
        file=sys.stderr,
    )
    return 0


def _serve(args: argparse.Namespace, start: datetime) -> int:
    from vatstats_assets.sim.server import SimulatorServer

    if args.truth is not None:
        _check_truth_path(args.truth)
    server = SimulatorServer(
        host=args.host, port=args.port, speed=args.speed, pilots=args.pilots, controllers=args.controllers,
        seed=args.seed, start=start, truth_path=args.truth, fault=args.fault, verbose=args.verbose,
        airspace=_airspace(args),
    )
    server.start()
    print(
        f"vatstats simulate: serving {server.status_url} "
        f"({args.pilots} pilots, speed x{args.speed:g}, seed {args.seed}, "
        f"from {start:%Y-%m-%dT%H:%M:%SZ}); Ctrl+C to stop",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
