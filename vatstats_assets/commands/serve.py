"""`vatstats serve [--host H] [--port P]`: the read API (FastAPI on uvicorn) over an engine that only reads."""

from __future__ import annotations

import argparse
import socket

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vatstats_assets.commands.common import CommandError, load_settings, open_reader, run_command
from vatstats_assets.storage.server import first_error_line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats serve",
        description="Serve the read API: JSON over HTTP for the live network, pilot connections and their "
        "tracks, airport movements and the daily summaries, with OpenAPI docs at /docs, Prometheus metrics "
        "at /metrics and a health check at /healthz. It reads VATSTATS_READ_DATABASE_URL when set, else the "
        "warehouse as the read-only role vatstats_reader, through a pool of VATSTATS_API_POOL_SIZE "
        "connections (plus VATSTATS_API_MAX_OVERFLOW at a peak). Ctrl-C stops it after the requests in "
        "flight are answered.",
        epilog="example: vatstats serve --port 8000   then open http://127.0.0.1:8000/docs",
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    parser.add_argument("--port", type=int, default=8000, help="TCP port to listen on (default 8000)")
    return parser


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port before anything else starts, so a busy port fails in one sentence."""
    if not 0 < port < 65536:
        raise CommandError(f"--port must be between 1 and 65535, not {port}")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as error:
        raise CommandError(f"cannot open a socket for --host {host!r}: {error.strerror or error}") from None
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except (OSError, OverflowError) as error:
        sock.close()
        reason = getattr(error, "strerror", None) or str(error)
        raise CommandError(f"cannot listen on {host}:{port} ({reason}); choose another --port or --host") from None
    sock.set_inheritable(True)
    return sock


def _check_reachable(engine: sa.Engine, url: str) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as error:
        where = make_url(url).render_as_string(hide_password=True)
        raise CommandError(f"the read API cannot reach {where}: {first_error_line(error)}") from None


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from vatstats_assets.api.app import create_app

    settings = load_settings()
    sock = listen(args.host, args.port)
    try:
        with open_reader(settings, pool_size=settings.api_pool_size,
                         max_overflow=settings.api_max_overflow) as reader:
            _check_reachable(reader.engine, reader.url)
            app = create_app(reader.engine, settings)
            config = uvicorn.Config(app, log_level="info", timeout_graceful_shutdown=10,
                                    proxy_headers=False, server_header=False)
            print(f"vatstats serve: the read API is at http://{args.host}:{args.port}/docs", flush=True)
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
