"""Security: hostile text stays data, nothing is unpickled, passwords stay out of logs, names can stay out.

Hostile records are planted in a real feed snapshot (the 2024 fixture) served over HTTP and go
through the whole ingest: the Dagster asset, the parser, the row builder, COPY and the merge.
"""

import ast
import random
import string
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

import vatstats_assets
from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.feed_fields import MAX_CALLSIGN_LENGTH
from vatstats_assets.definitions import build_resources
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.settings import Settings
from vatstats_assets.storage.partitions import ensure_partitions
from vatstats_assets.storage.raw_body import decompress_raw
from vatstats_assets.storage.tables import TABLES
from vatstats_tests.fixtures import load_fixture_bytes
from vatstats_tests.reliability.cli_runs import run_vatstats
from vatstats_tests.reliability.ingest_runs import ingest_resources, run_ingest
from vatstats_tests.support.feed_server import FixtureFeedServer

FIXTURE = "2024-02-20"
SQL_IN_A_NAME = "Robert'); DROP TABLE vatstats.flights; --"
QUOTED_CALLSIGN = "Q'\";--\\%s$$"
HOSTILE_ATC_CALLSIGN = "SY'TWR;\"\\"
# COPY's own syntax inside a value: an end-of-data marker on a line of its own, escapes, a tab.
COPY_SYNTAX = "line one\n\\.\nline three \\N \\t\tE'\\x41' $tag$ %(cid)s"
UNICODE_NAME = "Zoë Ångström 🛩 العربية \u202ereversed\u202c"
ATIS_LINES = ["'; TRUNCATE vatstats.flights; --", 'C:\\path\\ "quoted"; DELETE FROM vatstats.atc_positions']
NUL_REFUSED = {"pilot text contains a NUL character": 2, "controller text contains a NUL character": 1,
               f"callsign is longer than {MAX_CALLSIGN_LENGTH} characters": 1}
# The feed sections whose records carry a member's name (servers have names too, but not people's).
NAMED_SECTIONS = ("pilots", "controllers", "atis", "prefiles")
# Modules that turn bytes back into arbitrary Python objects (and so can run code while doing it).
UNPICKLERS = {"pickle", "cPickle", "_pickle", "shelve", "marshal", "dill", "cloudpickle", "joblib"}


def hundred_kilobytes(seed: int) -> str:
    """100 kB of text that does not compress: quotes, semicolons and backslashes among letters."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "'\";\\-()"
    return "A" + "".join(rng.choice(alphabet) for _ in range(100_000)) + "Z"


def hostile_feed() -> tuple[bytes, dict]:
    """The fixture with hostile values planted, and the values expected back, keyed by cid."""
    document = orjson.loads(load_fixture_bytes(FIXTURE))
    pilots, controllers = document["pilots"], document["controllers"]
    planned = [p for p in pilots if p["flight_plan"]]
    expected = {
        ("flights", planned[0]["cid"], QUOTED_CALLSIGN): {
            "name": SQL_IN_A_NAME, "route": hundred_kilobytes(1), "remarks": COPY_SYNTAX},
        ("flights", planned[1]["cid"], planned[1]["callsign"]): {"name": UNICODE_NAME},
        ("atc_positions", controllers[0]["cid"], HOSTILE_ATC_CALLSIGN): {
            "name": hundred_kilobytes(2), "text_atis": "\n".join([*ATIS_LINES, hundred_kilobytes(3)])},
    }
    planned[0].update(callsign=QUOTED_CALLSIGN, name=SQL_IN_A_NAME)
    planned[0]["flight_plan"] = dict(planned[0]["flight_plan"], route=hundred_kilobytes(1), remarks=COPY_SYNTAX)
    planned[1]["name"] = UNICODE_NAME
    controllers[0].update(callsign=HOSTILE_ATC_CALLSIGN, name=hundred_kilobytes(2),
                          text_atis=[*ATIS_LINES, hundred_kilobytes(3)])
    # Refused with a reason: NUL in a name, NUL in a filed airport, NUL in an ATIS code, a 100 kB callsign.
    planned[2]["name"] = "Eve\u0000Mallory"
    planned[3]["flight_plan"] = dict(planned[3]["flight_plan"], departure="YS\u0000SY")
    document["atis"][0]["atis_code"] = "\u0000"
    planned[4]["callsign"] = hundred_kilobytes(4)
    return orjson.dumps(document), expected


@pytest.fixture
def feed_server() -> Iterator[FixtureFeedServer]:
    with FixtureFeedServer() as server:
        yield server


def day_partitions(engine: sa.Engine, body: bytes) -> None:
    day = parse_snapshot(body).update_timestamp.date()
    with engine.begin() as conn:
        ensure_partitions(conn, day, day)


def test_hostile_text_is_stored_verbatim_or_refused_with_a_reason_and_never_executed(
    engine: sa.Engine, database_url: str, feed_server: FixtureFeedServer
) -> None:
    feed_server.body, expected = hostile_feed()

    run = run_ingest(ingest_resources(database_url, feed_server.status_url))

    assert run.success, run.messages
    assert any(m and m.startswith("Records left out of this snapshot") and all(r in m for r in NUL_REFUSED)
               for m in run.messages)
    with engine.connect() as conn:
        for (table, cid, callsign), values in expected.items():
            columns = ", ".join(values)  # table and column names from this test's own constants
            stored = conn.execute(sa.text(
                f"SELECT {columns} FROM vatstats.{table} WHERE cid = :cid AND callsign = :callsign"),
                {"cid": cid, "callsign": callsign}).one()
            assert dict(stored._mapping) == values
        tables_left = conn.execute(sa.text(
            "SELECT count(*) FROM unnest(CAST(:names AS text[])) AS name WHERE to_regclass(name) IS NOT NULL"),
            {"names": [spec.qualified for spec in TABLES.values()]}).scalar_one()
        flights, skipped = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM vatstats.flights), skipped_records FROM vatstats.feed_snapshots")).one()
    assert tables_left == len(TABLES)
    assert skipped == sum(NUL_REFUSED.values())
    assert flights == len(parse_snapshot(feed_server.body).pilots) - NUL_REFUSED["pilot text contains a NUL character"]


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a source file imports, plus `read_pickle` if it is called."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Attribute) and node.attr == "read_pickle":
            names.add("pandas.read_pickle")
    return names


def test_no_module_of_vatstats_can_unpickle_anything() -> None:
    sources = sorted(Path(vatstats_assets.__file__).parent.rglob("*.py"))
    offenders = {str(path): sorted(imported_modules(path) & (UNPICKLERS | {"pandas.read_pickle"}))
                 for path in sources}
    assert len(sources) > 50
    assert {path: found for path, found in offenders.items() if found} == {}


@pytest.fixture
def secret_role(engine: sa.Engine, database_url: str) -> Iterator[tuple[str, str]]:
    """A login role with a password, allowed to read and write the warehouse tables and nothing more."""
    role, password = f"vatstats_secret_{uuid.uuid4().hex[:8]}", f"S3cret-{uuid.uuid4().hex}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA vatstats TO {role}")
        conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA vatstats TO {role}")
    url = make_url(database_url).set(username=role, password=password).render_as_string(hide_password=False)
    yield url, password
    WarehouseResource(database_url=url).engine.dispose()  # the role's pooled sessions
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY {role}")
        conn.exec_driver_sql(f"DROP ROLE {role}")


def test_a_database_password_never_appears_in_the_run_log_or_the_command_line_errors(
    engine: sa.Engine, feed_server: FixtureFeedServer, secret_role: tuple[str, str], monkeypatch
) -> None:
    url, password = secret_role
    feed_server.body = load_fixture_bytes(FIXTURE)
    day_partitions(engine, feed_server.body)  # creating them needs the owner's rights, not this role's
    monkeypatch.setenv("VATSTATS_DATABASE_URL", url)  # as deployed: the secret comes from the environment
    monkeypatch.setenv("VATSTATS_FEED_URL", feed_server.status_url)
    monkeypatch.setenv("VATSTATS_REGION", "global")

    run = run_ingest(build_resources(Settings.from_env()))
    # The role may not create the schema that `vatstats status` checks for: an error naming the server.
    status = run_vatstats("status", env={"VATSTATS_DATABASE_URL": url})

    assert run.success, run.messages
    assert run.materialized and password not in run.text
    assert status.returncode != 0 and "permission denied" in status.stderr
    assert password not in status.stdout + status.stderr


def test_with_names_switched_off_no_name_is_stored_anywhere_not_even_in_the_raw_snapshot(
    engine: sa.Engine, database_url: str, feed_server: FixtureFeedServer, monkeypatch
) -> None:
    feed_server.body = load_fixture_bytes(FIXTURE)
    monkeypatch.setenv("VATSTATS_DATABASE_URL", database_url)
    monkeypatch.setenv("VATSTATS_FEED_URL", feed_server.status_url)
    monkeypatch.setenv("VATSTATS_REGION", "global")
    monkeypatch.setenv("VATSTATS_STORE_NAMES", "false")

    run = run_ingest(build_resources(Settings.from_env()))

    assert run.success, run.messages
    with engine.connect() as conn:
        named = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM vatstats.flights WHERE name IS NOT NULL)"
            " + (SELECT count(*) FROM vatstats.atc_positions WHERE name IS NOT NULL)")).scalar_one()
        body = decompress_raw(*conn.execute(sa.text("SELECT body, body_encoding FROM vatstats.feed_snapshots")).one())
    served_without_names = orjson.loads(feed_server.body)
    for section in NAMED_SECTIONS:
        for record in served_without_names[section]:
            record["name"] = ""
    assert named == 0
    assert orjson.loads(body) == served_without_names  # the names blanked, nothing else touched
