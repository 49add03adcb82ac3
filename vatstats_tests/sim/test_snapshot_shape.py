"""The simulator's snapshots have the real feed's keys, types and value formats (2024-02-20 fixture).

Every format rule below is checked against the real snapshot too, so a rule that does not
describe the real feed fails here rather than silently blessing the simulator.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from vatstats_assets.sim import Simulation

FIXTURE_NAME = "vatsim-data-2024-02-20.json"
PROJECT_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "feeds" / (FIXTURE_NAME + ".gz")
SHARED_FIXTURE = Path("/work/shared/fixtures/feeds") / FIXTURE_NAME

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$")
UPDATE_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
FREQUENCY = re.compile(r"^1\d\d\.\d{3}$")
CALLSIGN = re.compile(r"^[A-Z0-9_-]{2,12}$")
ICAO_OR_EMPTY = re.compile(r"^([A-Z0-9]{3,4})?$")
PLAN_ALTITUDE = re.compile(r"^(\d{1,5}|FL\d{3}|VFR|)$")
DIGITS = re.compile(r"^\d+$")
HHMM = re.compile(r"^\d{4}$")
SQUAWK = re.compile(r"^[0-7]{4}$")

Rule = Callable[[object], bool]


def _matches(pattern: re.Pattern[str]) -> Rule:
    return lambda value: isinstance(value, str) and pattern.match(value) is not None


RULES: dict[str, dict[str, Rule]] = {
    "general": {
        "update": lambda v: isinstance(v, str) and len(v) == 14 and v.isdigit(),
        "update_timestamp": _matches(UPDATE_TIMESTAMP),
        "version": lambda v: v == 3,
    },
    "pilots": {
        "callsign": _matches(CALLSIGN),
        "name": lambda v: isinstance(v, str) and v.startswith("Pilot "),
        "latitude": lambda v: isinstance(v, float) and -90 <= v <= 90,
        "longitude": lambda v: isinstance(v, float) and -180 <= v <= 180,
        "altitude": lambda v: isinstance(v, int) and -1500 <= v <= 60000,
        "groundspeed": lambda v: isinstance(v, int) and v >= 0,  # the real feed has a 1,254 kt one
        "heading": lambda v: isinstance(v, int) and 0 <= v <= 360,
        "transponder": _matches(SQUAWK),
        "qnh_mb": lambda v: isinstance(v, int) and 950 <= v <= 1060,
        "logon_time": _matches(TIMESTAMP),
        "last_updated": _matches(TIMESTAMP),
    },
    "flight_plan": {
        "flight_rules": lambda v: v in ("I", "V"),
        "departure": _matches(ICAO_OR_EMPTY),
        "arrival": _matches(ICAO_OR_EMPTY),
        "alternate": _matches(ICAO_OR_EMPTY),
        "altitude": _matches(PLAN_ALTITUDE),
        "cruise_tas": _matches(DIGITS),
        "deptime": _matches(HHMM),
        "enroute_time": _matches(HHMM),
        "fuel_time": _matches(HHMM),
        "assigned_transponder": _matches(SQUAWK),
    },
    "controllers": {
        "callsign": _matches(CALLSIGN),
        "frequency": _matches(FREQUENCY),
        "facility": lambda v: v in range(7),
        "rating": lambda v: v in range(-1, 13),
        "name": lambda v: isinstance(v, str) and v.startswith("Controller "),
        "logon_time": _matches(TIMESTAMP),
        "last_updated": _matches(TIMESTAMP),
        "text_atis": lambda v: v is None or (isinstance(v, list) and all(isinstance(line, str) for line in v)),
    },
    "atis": {
        "callsign": lambda v: isinstance(v, str) and v.endswith("_ATIS"),
        "frequency": _matches(FREQUENCY),
        "atis_code": lambda v: isinstance(v, str) and len(v) == 1 and v.isalpha(),
        "text_atis": lambda v: isinstance(v, list) and len(v) > 0,
        "logon_time": _matches(TIMESTAMP),
    },
    "prefiles": {"callsign": _matches(CALLSIGN), "last_updated": _matches(TIMESTAMP)},
    "servers": {"ident": lambda v: isinstance(v, str) and v.isupper()},
}


def _real_snapshot() -> dict:
    if PROJECT_FIXTURE.is_file():
        return json.loads(gzip.decompress(PROJECT_FIXTURE.read_bytes()))
    if SHARED_FIXTURE.is_file():
        return json.loads(SHARED_FIXTURE.read_bytes())
    pytest.skip(f"the real feed fixture {FIXTURE_NAME} is not available")


@pytest.fixture(scope="module")
def real() -> dict:
    return _real_snapshot()


@pytest.fixture(scope="module")
def simulated() -> dict:
    simulation = Simulation(start=datetime(2024, 2, 20, 23, 0, tzinfo=UTC), pilots=400, seed=7)
    # Round-trip through JSON bytes: the shape a client actually receives.
    return orjson.loads(orjson.dumps(simulation.snapshot(simulation.tick(80))))


def _records(snapshot: dict) -> dict[str, list[dict]]:
    sections = {name: snapshot[name] for name in ("pilots", "controllers", "atis", "prefiles", "servers")}
    sections["general"] = [snapshot["general"]]
    sections["flight_plan"] = [p["flight_plan"] for p in snapshot["pilots"] + snapshot["prefiles"] if p["flight_plan"]]
    for table in ("facilities", "ratings", "pilot_ratings", "military_ratings"):
        sections[table] = snapshot[table]
    return sections


def _key_types(records: list[dict]) -> dict[str, set[str]]:
    types: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for key, value in record.items():
            types[key].add(type(value).__name__)
    return types


def test_simulated_snapshot_has_the_same_sections_as_the_real_feed(real: dict, simulated: dict) -> None:
    assert list(simulated) == list(real)


@pytest.mark.parametrize(
    "section",
    ["general", "pilots", "flight_plan", "controllers", "atis", "prefiles", "servers",
     "facilities", "ratings", "pilot_ratings", "military_ratings"],
)
def test_simulated_records_have_the_real_keys_in_the_real_order_with_the_real_types(
    real: dict, simulated: dict, section: str
) -> None:
    real_records, simulated_records = _records(real)[section], _records(simulated)[section]
    assert simulated_records, f"the simulator produced no {section}"
    assert {tuple(r) for r in simulated_records} == {tuple(r) for r in real_records}
    real_types, simulated_types = _key_types(real_records), _key_types(simulated_records)
    for key, types in simulated_types.items():
        assert types <= real_types[key], f"{section}.{key}: {types} not within {real_types[key]}"


@pytest.mark.parametrize("section", sorted(RULES))
def test_simulated_values_have_the_real_formats(real: dict, simulated: dict, section: str) -> None:
    for name, snapshot in (("real", real), ("simulated", simulated)):
        for record in _records(snapshot)[section]:
            for key, rule in RULES[section].items():
                assert rule(record[key]), f"{name} {section}.{key} = {record[key]!r}"


def test_lookup_tables_are_the_real_ones(real: dict, simulated: dict) -> None:
    for table in ("facilities", "ratings", "pilot_ratings", "military_ratings"):
        assert simulated[table] == real[table]


def test_observers_use_the_observer_frequency(simulated: dict) -> None:
    observers = [c for c in simulated["controllers"] if c["facility"] == 0]
    assert observers and {c["frequency"] for c in observers} == {"199.998"}


def test_general_counts_match_the_lists(simulated: dict) -> None:
    general = simulated["general"]
    clients = simulated["pilots"] + simulated["controllers"] + simulated["atis"]
    assert general["connected_clients"] == len(clients)
    assert general["unique_users"] == len({c["cid"] for c in clients})


def test_simulated_snapshot_parses_with_no_skipped_records() -> None:
    feed = pytest.importorskip("vatstats_assets.core.feed")
    simulation = Simulation(start=datetime(2026, 11, 20, tzinfo=UTC), pilots=300, seed=2)
    for index in (0, 400, 800):
        snapshot = feed.parse_snapshot(orjson.dumps(simulation.snapshot(simulation.tick(index))))
        assert snapshot.skipped == () and snapshot.duplicates_dropped == 0
        assert snapshot.update_timestamp == simulation.tick(index).moment
