"""`vatstats url`: the connection strings people give psql, notebooks and BI tools."""

from __future__ import annotations

import os
import subprocess
import sys

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vatstats_assets.storage.reader import READER_ROLE


def _url(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VATSTATS_")}
    env.update(VATSTATS_DATABASE_URL=database_url, VATSTATS_READER_PASSWORD="url-test-password")
    return subprocess.run([sys.executable, "-m", "vatstats_assets.cli", "url", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_reader_url_connects_as_the_read_only_role(database_url: str) -> None:
    done = _url(database_url, "--reader")
    assert done.returncode == 0, done.stderr
    printed = done.stdout.strip()
    assert printed.startswith("postgresql://") and make_url(printed).password == "url-test-password"
    engine = sa.create_engine(make_url(printed).set(drivername="postgresql+psycopg2"), poolclass=sa.NullPool)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT current_user").scalar() == READER_ROLE
    engine.dispose()


def test_owner_url_hides_its_password_unless_asked(database_url: str) -> None:
    url = make_url(database_url).set(password="owner-secret").render_as_string(hide_password=False)
    hidden = _url(url, "--sqlalchemy")
    assert hidden.returncode == 0, hidden.stderr
    assert "owner-secret" not in hidden.stdout and hidden.stdout.startswith("postgresql+psycopg2://")
    # The machine's server trusts 127.0.0.1, so a made-up owner password still connects.
    shown = _url(url, "--show-password")
    assert "owner-secret" in shown.stdout
