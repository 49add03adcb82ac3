"""The column-at-a-time pilot reader returns exactly what the record-at-a-time one does, or declines."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

# The record reader is feed_parse's private fallback: the one the fast path must agree with.
from vatstats_assets.core.feed_parse import _pilot, _unique_by_callsign
from vatstats_assets.core.pilot_columns import pilots_by_column
from vatstats_tests.core.test_feed_parse import pilot_record
from vatstats_tests.fixtures import FEED_FIXTURE_DATES, load_fixture_bytes


def record_by_record(records: list[Any]) -> tuple:
    return _unique_by_callsign("pilots", records, _pilot, [])[0]


def exact(pilots: tuple | list) -> list[tuple]:
    # Pilots compare equal across 1 and 1.0 or True: the types must agree too.
    return [tuple((value, type(value)) for value in pilot) for pilot in pilots]


@pytest.mark.parametrize("date", FEED_FIXTURE_DATES)
def test_real_snapshots_of_every_era_are_read_by_column_into_the_same_pilots(date: str) -> None:
    records = orjson.loads(load_fixture_bytes(date))["pilots"]
    by_column = pilots_by_column(records)
    assert by_column is not None and len(by_column) == len(records) > 600
    assert exact(by_column) == exact(record_by_record(records))


ODD_RECORDS = {
    "cid as text": {"cid": "1234567"},
    "cid as a float": {"cid": 1234567.0},
    "cid a boolean": {"cid": True},
    "no cid": {"cid": None},
    "callsign padded": {"callsign": "  QFA9 "},
    "callsign blank": {"callsign": "   "},
    "callsign too long": {"callsign": "Q" * 33},
    "callsign a number": {"callsign": 42},
    "callsign of another pilot": {"callsign": "QFA1"},
    "latitude a whole number": {"latitude": -33},
    "latitude as text": {"latitude": "-33.5"},
    "latitude out of range": {"latitude": 91.0},
    "longitude NaN-like text": {"longitude": "nan"},
    "altitude as text": {"altitude": "35000"},
    "altitude a float": {"altitude": 35000.4},
    "heading missing": {"heading": None},
    "groundspeed a boolean": {"groundspeed": False},
    "logon_time not a timestamp": {"logon_time": "yesterday"},
    "logon_time February 30th": {"logon_time": "2026-02-30T10:00:00Z"},
    "last_updated a number": {"last_updated": 1700000000},
    "optional fields of odd types": {"name": 7, "server": " ", "pilot_rating": "3", "military_rating": 2.6,
                                     "transponder": 1200, "qnh_i_hg": "29.9", "qnh_mb": None,
                                     "flight_plan": {"revision_id": True, "altitude": 1.0e3}},
    "no flight plan": {"flight_plan": None},
}


@pytest.mark.parametrize("change", ODD_RECORDS.values(), ids=ODD_RECORDS.keys())
def test_an_odd_record_is_read_as_the_record_reader_reads_it_or_left_to_it(change: dict[str, Any]) -> None:
    records = [pilot_record("QFA1"), pilot_record("QFA2", cid=7654321) | change, pilot_record("VOZ3")]
    by_column = pilots_by_column(records)
    if by_column is not None:
        assert exact(by_column) == exact(record_by_record(records))


def test_a_record_that_is_not_an_object_leaves_the_section_to_the_record_reader() -> None:
    assert pilots_by_column([pilot_record("QFA1"), ["QFA2"]]) is None


def test_a_well_formed_section_with_odd_optional_fields_still_takes_the_fast_path() -> None:
    records = [pilot_record("QFA1"), pilot_record("QFA2") | ODD_RECORDS["optional fields of odd types"]]
    by_column = pilots_by_column(records)
    assert by_column is not None and exact(by_column) == exact(record_by_record(records))
