"""A body decoded into typed records reads into exactly the snapshot the plain-JSON reader builds.

The plain reader (orjson, then feed_parse's section and record readers) is the reference: every
body parse_snapshot reads through the typed records must give the same Snapshot, value and type.
"""

from __future__ import annotations

from typing import Any

import pytest

# The plain reader: feed_parse's own decoding and document reader, what parse_snapshot did before.
from vatstats_assets.core.feed_parse import _decode, parse_document, parse_snapshot
from vatstats_assets.core.feed_records import decode_well_formed
from vatstats_assets.core.pilot_columns import pilots_from_records
from vatstats_tests.core.test_feed_parse import body, feed, pilot_record
from vatstats_tests.core.test_pilot_columns import ODD_RECORDS, exact
from vatstats_tests.fixtures import FEED_FIXTURE_DATES, load_fixture_bytes


def plain_reading(text: bytes) -> Any:
    return parse_document(_decode(text))


def assert_same_snapshot(text: bytes) -> None:
    typed, plain = parse_snapshot(text), plain_reading(text)
    assert typed == plain
    assert exact(typed.pilots) == exact(plain.pilots)  # 1 == 1.0 == True: the types must agree too
    assert [exact([p.flight_plan or ()]) for p in typed.pilots] == [exact([p.flight_plan or ()]) for p in plain.pilots]


@pytest.mark.parametrize("date", FEED_FIXTURE_DATES)
def test_real_snapshots_of_every_era_take_the_typed_path(date: str) -> None:
    records = decode_well_formed(load_fixture_bytes(date))
    assert records is not None and len(records.pilots) > 600
    assert pilots_from_records(records.pilots) is not None


@pytest.mark.parametrize("date", FEED_FIXTURE_DATES)
def test_real_snapshots_of_every_era_read_through_typed_records_into_the_same_snapshot(date: str) -> None:
    assert_same_snapshot(load_fixture_bytes(date))


@pytest.mark.parametrize("change", ODD_RECORDS.values(), ids=ODD_RECORDS.keys())
def test_a_body_with_an_odd_pilot_reads_into_the_same_snapshot(change: dict[str, Any]) -> None:
    pilots = [pilot_record("QFA1"), pilot_record("QFA2", cid=7654321) | change, pilot_record("VOZ3")]
    assert_same_snapshot(body(feed(pilots=pilots)))


ODD_PLANS = {
    "revision a boolean": {"revision_id": True},
    "revision a float": {"revision_id": 2.0},
    "cruise speed a number": {"cruise_tas": 450},
    "cruise altitude a number": {"altitude": 35000},
    "cruise altitude a float": {"altitude": 3.5e4},
    "squawk a number": {"assigned_transponder": 1200},
    "a field null": {"route": None},
    "a field missing": {"remarks": ...},
    "an unknown field": {"equipment": "SDFGHIRWY"},
    "a list for a route": {"route": ["WOL", "H65"]},
    "padded text": {"departure": " yssy ", "aircraft_short": "   "},
}


@pytest.mark.parametrize("change", ODD_PLANS.values(), ids=ODD_PLANS.keys())
def test_a_body_with_an_odd_flight_plan_reads_into_the_same_snapshot(change: dict[str, Any]) -> None:
    record = pilot_record("QFA2")
    record["flight_plan"] = {k: v for k, v in (record["flight_plan"] | change).items() if v is not ...}
    assert_same_snapshot(body(feed(pilots=[pilot_record("QFA1"), record])))


@pytest.mark.parametrize("change", [{"revision_id": True}, {"altitude": 3.5e4}, {"route": ["WOL", "H65"]}])
def test_a_flight_plan_of_other_types_leaves_the_pilots_to_the_plain_reader(change: dict[str, Any]) -> None:
    record = pilot_record("QFA2")
    record["flight_plan"] |= change
    records = decode_well_formed(body(feed(pilots=[pilot_record("QFA1"), record])))
    assert records is not None  # the plan's text is decoded only when the pilots are read
    assert pilots_from_records(records.pilots) is None


def test_a_plan_record_seen_again_is_the_same_plan_and_a_changed_one_a_new_plan() -> None:
    def plan(**change: Any) -> Any:
        record = pilot_record()
        record["flight_plan"] |= change
        return parse_snapshot(body(feed(pilots=[record]))).pilots[0].flight_plan

    assert plan() is plan()
    assert plan(route="WOL H65 RAZZI").route == "WOL H65 RAZZI" and plan().route == "WOL H65 RAZZI Q29 LIZZI"
    assert plan(cruise_tas=450) == plan(cruise_tas="450")  # another record, read into an equal plan


def test_a_key_given_twice_reads_as_the_plain_reader_reads_it() -> None:
    text = body(feed()).replace(b'"cid": 1234567', b'"cid": 1, "cid": 1234567', 1)
    assert text.count(b'"cid": 1,') == 1
    assert_same_snapshot(text)


def test_a_callsign_twice_leaves_the_section_to_the_record_reader() -> None:
    stale = pilot_record("QFA1", last_updated="2024-02-20T23:00:00Z")
    text = body(feed(pilots=[stale, pilot_record("QFA1")]))
    assert_same_snapshot(text)
    assert parse_snapshot(text).duplicates_dropped == 1


@pytest.mark.parametrize("text", [b'{"general": {"update_timestamp": "x"}, "pilots": []', b"[]", b"{}",
                                  b'{"pilots": "none"}', b'{"pilots": [], "general": null}'])
def test_a_body_that_is_not_a_feed_is_not_decoded_as_records_or_fails_as_before(text: bytes) -> None:
    with pytest.raises(ValueError) as typed:
        parse_snapshot(text)
    with pytest.raises(ValueError) as plain:
        plain_reading(text)
    assert str(typed.value) == str(plain.value)
