"""The embedded server's TCP door (`vatstats dev --listen`): by password only, for the reader."""

from __future__ import annotations

import socket

import psycopg2
import pytest

from vatstats_assets.commands.common import CommandError, open_warehouse
from vatstats_assets.settings import Settings, SettingsError
from vatstats_assets.storage.embedded_tcp import parse_listen
from vatstats_assets.storage.reader import READER_ROLE, reader_password


@pytest.mark.parametrize(("text", "expected"), [
    ("5433", ("127.0.0.1", 5433)),
    ("0.0.0.0:6543", ("0.0.0.0", 6543)),
    ("[::1]:5433", ("::1", 5433)),
    (":5433", ("127.0.0.1", 5433)),
])
def test_listen_address_defaults_to_localhost(text: str, expected: tuple[str, int]) -> None:
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", ["", "host:", "host:http", "70000", "127.0.0.1:0"])
def test_listen_address_without_a_usable_port_is_refused_in_one_sentence(text: str) -> None:
    with pytest.raises(SettingsError, match="--listen takes HOST:PORT or PORT"):
        parse_listen(text)


def test_listen_with_a_configured_server_is_refused(database_url: str) -> None:
    settings = Settings.from_env({"VATSTATS_DATABASE_URL": database_url})
    with pytest.raises(CommandError, match="--listen opens the embedded PostgreSQL"):
        with open_warehouse(settings, listen=("127.0.0.1", 5433)):
            pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _refusal(**connect) -> str:
    with pytest.raises(psycopg2.OperationalError) as refused:
        psycopg2.connect(host="127.0.0.1", dbname="vatstats", connect_timeout=5, **connect)
    return str(refused.value)


@pytest.mark.embedded
def test_embedded_server_on_tcp_lets_the_reader_in_by_password_and_nobody_in_without(tmp_path) -> None:
    settings = Settings.from_env({"VATSTATS_DATA_DIR": str(tmp_path / "data")})
    port = _free_port()
    with open_warehouse(settings, listen=("127.0.0.1", port)) as warehouse:
        assert warehouse.server.tcp_address == ("127.0.0.1", port)
        password = reader_password(settings)
        reader = psycopg2.connect(host="127.0.0.1", port=port, dbname="vatstats", user=READER_ROLE,
                                  password=password)
        with reader, reader.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM vatstats.report_busiest_days")
            assert cursor.fetchone() == (0,)
        reader.close()
        assert "password authentication failed" in _refusal(port=port, user=READER_ROLE, password="guess")
        assert "no password supplied" in _refusal(port=port, user="postgres")
        assert "password authentication failed" in _refusal(port=port, user="postgres", password="postgres")
    assert not (tmp_path / "data" / "pg" / "postmaster.pid").exists()  # stopped with its last handle
