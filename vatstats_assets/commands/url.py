"""`vatstats url [--reader]`: the connection string of the warehouse, for psql, notebooks and BI tools."""

from __future__ import annotations

import argparse
import socket
import sys

from sqlalchemy.engine import URL, make_url

from vatstats_assets.commands.common import CommandError, open_warehouse, run_command
from vatstats_assets.storage.reader import reader_password, reader_url

# Bound to every address: tell the tools this machine's name instead.
_ANY_ADDRESS = ("0.0.0.0", "::", "*")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vatstats url",
        description="Print the warehouse's connection string. With --reader, the read-only role "
        "vatstats_reader's, password included (it can only SELECT the reporting tables and views): the one "
        "to give Metabase, Grafana or a notebook. The embedded server accepts TCP only while "
        "`vatstats dev --listen` runs; otherwise the string names its unix socket.",
        epilog="examples:\n  vatstats url --reader                # postgresql://vatstats_reader:...@127.0.0.1:5433/vatstats\n"
        "  psql \"$(vatstats url --reader)\"\n"
        "  vatstats url --sqlalchemy           # the warehouse owner's, password hidden",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--reader", action="store_true", help="the read-only role's connection string")
    parser.add_argument("--sqlalchemy", action="store_true",
                        help="name the driver (postgresql+psycopg2://), as SQLAlchemy and pandas want it")
    parser.add_argument("--show-password", action="store_true",
                        help="include the warehouse owner's password (the reader's is always included)")
    return parser


def shown_url(url: URL, tcp_address: tuple[str, int] | None, *, sqlalchemy: bool, hide_password: bool) -> str:
    """`url` as a tool connects to it: over TCP when the embedded server listens, plain postgresql://
    unless asked for the driver."""
    if tcp_address is not None:
        host, port = tcp_address
        url = url.set(host=socket.getfqdn() if host in _ANY_ADDRESS else host, port=port,
                      query={k: v for k, v in url.query.items() if k != "host"})
    if not sqlalchemy:
        url = url.set(drivername="postgresql")
    return url.render_as_string(hide_password=hide_password)


def run(args: argparse.Namespace) -> int:
    with open_warehouse() as warehouse:
        server = warehouse.server
        if args.reader:
            if warehouse.reader_problem:
                raise CommandError(warehouse.reader_problem)
            url = make_url(reader_url(server, reader_password(warehouse.settings)))
        else:
            url = make_url(server.warehouse_url)
        tcp = server.tcp_address
        printed = shown_url(url, tcp, sqlalchemy=args.sqlalchemy,
                            hide_password=not (args.reader or args.show_password))
        if server.is_embedded and tcp is None:
            print("vatstats: the embedded PostgreSQL listens on its unix socket only (this machine); start "
                  "`vatstats dev --listen` for a TCP address other machines and BI tools can use", file=sys.stderr)
    print(printed)
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: run(args))
