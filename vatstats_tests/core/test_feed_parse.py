"""Parsing whole snapshots: what fails the snapshot, what only skips a record."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from vatstats_assets.core.feed import (
    FeedFormatError,
    SkippedRecord,
    parse_document,
    parse_snapshot,
    peek_update_timestamp,
    update_timestamp_from_prefix,
)
from vatstats_tests.fixtures import load_fixture_bytes

UPDATE = "2024-02-20T23:19:51.9474401Z"


def pilot_record(callsign: str = "QFA1", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "cid": 1234567,
        "name": "Pilot 1",
        "callsign": callsign,
        "server": "AUSTRALIA",
        "pilot_rating": 1,
        "military_rating": 0,
        "latitude": -33.9461,
        "longitude": 151.1772,
        "altitude": 21,
        "groundspeed": 0,
        "transponder": "2000",
        "heading": 340,
        "qnh_i_hg": 29.92,
        "qnh_mb": 1013,
        "flight_plan": {
            "flight_rules": "I",
            "aircraft": "B738/M-SDFGHIRWY/LB1",
            "aircraft_faa": "B738/L",
            "aircraft_short": "B738",
            "departure": "yssy",
            "arrival": "YMML",
            "alternate": "",
            "cruise_tas": "450",
            "altitude": "FL360",
            "deptime": "0100",
            "enroute_time": "0125",
            "fuel_time": "0300",
            "remarks": "/V/",
            "route": "WOL H65 RAZZI Q29 LIZZI",
            "revision_id": 1,
            "assigned_transponder": "3201",
        },
        "logon_time": "2024-02-20T22:00:00Z",
        "last_updated": "2024-02-20T23:19:50.1234567Z",
    }
    record.update(fields)
    return record


def controller_record(callsign: str = "SY_TWR", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "cid": 7654321,
        "name": "Controller 1",
        "callsign": callsign,
        "frequency": "120.500",
        "facility": 4,
        "rating": 3,
        "server": "AUSTRALIA",
        "visual_range": 50,
        "text_atis": ["Sydney Tower", "Runway 34L"],
        "last_updated": "2024-02-20T23:19:40Z",
        "logon_time": "2024-02-20T21:00:00Z",
    }
    record.update(fields)
    return record


def feed(**sections: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "general": {
            "version": 3,
            "reload": 1,
            "update": "20240220231951",
            "update_timestamp": UPDATE,
            "connected_clients": 2,
            "unique_users": 2,
        },
        "pilots": [pilot_record()],
        "controllers": [controller_record()],
        "atis": [],
        "servers": [],
        "prefiles": [],
        "facilities": [{"id": 4, "short": "TWR", "long": "Tower"}],
        "ratings": [{"id": 3, "short": "S2", "long": "Tower Controller"}],
        "pilot_ratings": [{"id": 1, "short_name": "PPL", "long_name": "Private Pilot Licence"}],
        "military_ratings": [],
    }
    document.update(sections)
    return document


def body(document: Any) -> bytes:
    return json.dumps(document).encode()


# --- a snapshot that is not a v3 feed -------------------------------------------------


@pytest.mark.parametrize("empty", [b"", b"  \n\t ", ""])
def test_an_empty_body_is_a_format_error_saying_empty(empty):
    with pytest.raises(FeedFormatError, match="^feed body is empty$"):
        parse_snapshot(empty)


def test_html_instead_of_json_is_a_format_error_giving_the_byte_offset():
    with pytest.raises(FeedFormatError, match=r"feed body is not valid JSON at byte 0"):
        parse_snapshot(b"<html><body>502 Bad Gateway</body></html>")


def test_a_truncated_body_is_a_format_error_suggesting_truncation():
    whole = load_fixture_bytes("2024-02-20")
    cut = whole[: len(whole) // 2]
    with pytest.raises(FeedFormatError, match=r"not valid JSON \(truncated\?\) at byte \d+"):
        parse_snapshot(cut)


def test_a_json_list_is_a_format_error_saying_an_object_was_expected():
    with pytest.raises(FeedFormatError, match="^feed JSON is a list, expected an object$"):
        parse_snapshot(b"[1, 2, 3]")


def test_a_feed_without_general_is_a_format_error_naming_general():
    document = feed()
    del document["general"]
    with pytest.raises(FeedFormatError, match="^feed JSON has no 'general' object$"):
        parse_snapshot(body(document))


def test_a_feed_without_update_timestamp_is_a_format_error_naming_the_field():
    document = feed()
    del document["general"]["update_timestamp"]
    with pytest.raises(FeedFormatError, match=r"^feed JSON has no 'general.update_timestamp'$"):
        parse_snapshot(body(document))


def test_an_unreadable_update_timestamp_is_a_format_error_quoting_it():
    document = feed()
    document["general"]["update_timestamp"] = "soon"
    with pytest.raises(FeedFormatError, match="update_timestamp' is not a timestamp: 'soon'"):
        parse_snapshot(body(document))


@pytest.mark.parametrize(("pilots", "kind"), [({"QFA1": {}}, "an object"), ("none", "a string")])
def test_pilots_that_are_not_a_list_are_a_format_error(pilots, kind):
    with pytest.raises(FeedFormatError, match=f"^feed 'pilots' is {kind}, expected a list$"):
        parse_snapshot(body(feed(pilots=pilots)))


@pytest.mark.parametrize("section", ["pilots", "controllers"])
def test_a_feed_missing_pilots_or_controllers_is_a_format_error_not_an_empty_network(section):
    document = feed()
    del document[section]
    with pytest.raises(FeedFormatError, match=f"^feed JSON has no '{section}' list$"):
        parse_snapshot(body(document))


def test_a_feed_of_another_version_is_a_format_error():
    document = feed()
    document["general"]["version"] = 4
    with pytest.raises(FeedFormatError, match="'general.version' is 4, expected 3"):
        parse_snapshot(body(document))


def test_a_format_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_snapshot(b"")


# --- bodies in other clothes ----------------------------------------------------------


def test_str_gzip_and_byte_order_mark_bodies_parse_like_plain_bytes():
    plain = body(feed())
    expected = parse_snapshot(plain)
    assert parse_snapshot(plain.decode()) == expected
    assert parse_snapshot(gzip.compress(plain)) == expected
    assert parse_snapshot(b"\xef\xbb\xbf" + plain) == expected


def test_a_decoded_document_parses_without_encoding_it_again():
    assert parse_document(feed()) == parse_snapshot(body(feed()))


# --- one bad record -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"latitude": "north"}, "latitude is not a number"),
        ({"latitude": 91.5}, "latitude is out of range"),
        ({"longitude": -180.01}, "longitude is out of range"),
        ({"cid": None}, "cid is missing"),
        ({"cid": "12ab"}, "cid is not an integer"),
        ({"callsign": ""}, "callsign is missing"),
        ({"callsign": 42}, "callsign is not a string"),
        ({"altitude": "high"}, "altitude is not a number"),
        ({"logon_time": "2024-02-20"}, "logon_time is not a valid timestamp"),
        ({"last_updated": None}, "last_updated is missing"),
    ],
)
def test_one_bad_pilot_is_skipped_with_its_reason_and_the_rest_parse(fields, reason):
    bad = pilot_record("QFA2")
    bad.update(fields)
    pilots = [pilot_record("QFA1"), bad, pilot_record("QFA3")]
    snapshot = parse_snapshot(body(feed(pilots=pilots)))
    assert [pilot.callsign for pilot in snapshot.pilots] == ["QFA1", "QFA3"]
    assert snapshot.skipped == (SkippedRecord("pilots", 1, reason),)
    assert snapshot.skipped_by_reason() == {reason: 1}


def test_a_pilot_record_that_is_not_an_object_is_skipped():
    snapshot = parse_snapshot(body(feed(pilots=[pilot_record(), "QFA2", None])))
    assert len(snapshot.pilots) == 1
    assert snapshot.skipped_by_reason() == {"record is not an object": 2}


def test_bad_records_in_every_section_are_counted_by_reason():
    document = feed(
        pilots=[pilot_record("A1", latitude=None), pilot_record("A2", latitude=None)],
        controllers=[controller_record(facility="tower")],
        atis=[controller_record("SY_ATIS", cid=None)],
        prefiles=[{"cid": 1, "callsign": "P1", "flight_plan": None}],
        servers=[{"hostname_or_ip": "10.0.0.1"}],
        facilities=[{"id": "x", "short": "OBS"}],
    )
    snapshot = parse_snapshot(body(document))
    assert snapshot.skipped_by_reason() == {
        "latitude is missing": 2,
        "facility is not a number": 1,
        "cid is missing": 1,
        "last_updated is missing": 1,
        "ident is missing": 1,
        "id is not an integer": 1,
    }
    assert {record.section for record in snapshot.skipped} == {
        "pilots", "controllers", "atis", "prefiles", "servers", "facilities"
    }


def test_an_odd_flight_plan_leaves_the_pilot_without_a_plan_but_keeps_the_pilot():
    snapshot = parse_snapshot(body(feed(pilots=[pilot_record(flight_plan="IFR to YMML")])))
    assert snapshot.pilots[0].flight_plan is None
    assert snapshot.skipped == ()


# --- duplicates -----------------------------------------------------------------------


def test_a_duplicate_callsign_keeps_the_latest_last_updated_and_is_counted():
    stale = pilot_record("QFA1", cid=1, last_updated="2024-02-20T23:10:00Z")
    fresh = pilot_record("QFA1", cid=2, last_updated="2024-02-20T23:19:00Z")
    other = pilot_record("VOZ2", cid=3)
    snapshot = parse_snapshot(body(feed(pilots=[fresh, other, stale])))
    assert [(pilot.callsign, pilot.cid) for pilot in snapshot.pilots] == [("QFA1", 2), ("VOZ2", 3)]
    assert snapshot.duplicates_dropped == 1


def test_duplicates_are_counted_per_section_and_summed():
    document = feed(
        pilots=[pilot_record("QFA1"), pilot_record("QFA1"), pilot_record("QFA1")],
        controllers=[controller_record("SY_TWR"), controller_record("SY_TWR")],
        atis=[controller_record("SY_TWR", atis_code="A")],  # same callsign, other section
    )
    snapshot = parse_snapshot(body(document))
    assert (len(snapshot.pilots), len(snapshot.controllers), len(snapshot.atis)) == (1, 1, 1)
    assert snapshot.duplicates_dropped == 3


# --- schema drift ---------------------------------------------------------------------


def test_a_2021_pilot_without_newer_fields_parses_with_them_as_none():
    record = pilot_record()
    del record["military_rating"]
    del record["flight_plan"]["assigned_transponder"]
    pilot = parse_snapshot(body(feed(pilots=[record]))).pilots[0]
    assert pilot.military_rating is None
    assert pilot.flight_plan is not None
    assert pilot.flight_plan.assigned_transponder is None


def test_unknown_extra_fields_and_sections_are_ignored():
    record = pilot_record(wake_turbulence="M", flight_plan=None)
    document = feed(pilots=[record], transceivers=[{"x": 1}])
    document["general"]["shard"] = "eu-1"
    snapshot = parse_snapshot(body(document))
    assert snapshot.pilots[0].callsign == "QFA1"
    assert snapshot.skipped == ()


def test_optional_sections_may_be_missing_or_null():
    document = feed(atis=None)
    for section in ("servers", "prefiles", "facilities", "ratings", "pilot_ratings"):
        del document[section]
    snapshot = parse_snapshot(body(document))
    assert (snapshot.atis, snapshot.servers, snapshot.prefiles) == ((), (), ())
    assert (snapshot.facilities, snapshot.ratings, snapshot.pilot_ratings) == ({}, {}, {})


def test_a_parsed_pilot_reads_units_and_normalised_flight_plan():
    pilot = parse_snapshot(body(feed())).pilots[0]
    assert pilot.last_updated == datetime(2024, 2, 20, 23, 19, 50, 123456, tzinfo=UTC)
    assert pilot.flight_plan is not None
    assert (pilot.flight_plan.departure, pilot.flight_plan.alternate) == ("YSSY", None)
    assert (pilot.flight_plan.altitude_ft, pilot.flight_plan.cruise_tas_kt) == (36000, 450)


def test_numeric_transponder_codes_keep_their_leading_zeros():
    pilot = parse_snapshot(body(feed(pilots=[pilot_record(transponder=200)]))).pilots[0]
    assert pilot.transponder == "0200"


def test_a_controller_with_an_unreadable_frequency_is_kept_without_one():
    record = controller_record(frequency="n/a", text_atis=None)
    snapshot = parse_snapshot(body(feed(controllers=[record])))
    controller = snapshot.controllers[0]
    assert (controller.frequency_khz, controller.text_atis) == (None, None)


def test_the_general_section_reads_counts_and_the_update_timestamp():
    snapshot = parse_snapshot(body(feed()))
    assert snapshot.update_timestamp == datetime(2024, 2, 20, 23, 19, 51, 947440, tzinfo=UTC)
    assert (snapshot.general.version, snapshot.general.connected_clients) == (3, 2)


# --- peek -----------------------------------------------------------------------------


def test_peek_returns_the_update_timestamp_of_a_whole_body():
    expected = datetime(2024, 2, 20, 23, 19, 51, 947440, tzinfo=UTC)
    assert peek_update_timestamp(body(feed())) == expected


def test_peek_refuses_a_truncated_body_even_though_its_timestamp_is_readable():
    # A run keyed on this timestamp could only fail, and would use up the key.
    whole = body(feed())
    with pytest.raises(FeedFormatError, match="truncated"):
        peek_update_timestamp(whole[:-40])


def test_peek_names_a_missing_update_timestamp():
    document = feed()
    del document["general"]["update_timestamp"]
    with pytest.raises(FeedFormatError, match="general.update_timestamp"):
        peek_update_timestamp(body(document))


# --- the update timestamp from the first bytes of a body ---------------------------------


def test_the_first_bytes_of_a_body_give_its_update_timestamp_without_the_rest():
    start = body(feed())[:300]  # general is complete, the pilots cut off mid-record
    assert update_timestamp_from_prefix(start) == datetime(2024, 2, 20, 23, 19, 51, 947440, tzinfo=UTC)


def test_a_pretty_printed_body_with_a_byte_order_mark_is_read_too():
    start = b"\xef\xbb\xbf" + json.dumps(feed(), indent=2).encode()
    assert update_timestamp_from_prefix(start[:400]) == peek_update_timestamp(start)


@pytest.mark.parametrize("start", [
    b"",
    b'{"general":{"version":3,"update_timestamp":"2024-02-20T23:19',  # general cut short
    b'{"pilots":[],"general":{"update_timestamp":"2024-02-20T23:19:51Z"}}',  # general not first
    b"<html><body>502 Bad Gateway</body></html>",
    b'{"general":{"update_timestamp":"2024-02-20T23:19:51Z",}}',  # general is not JSON
], ids=["empty", "cut-short", "general-not-first", "html", "invalid"])
def test_a_start_that_does_not_say_gives_none_so_the_whole_body_decides(start):
    assert update_timestamp_from_prefix(start) is None


def test_a_complete_general_without_a_usable_timestamp_is_a_format_error_as_for_the_whole_body():
    document = feed()
    document["general"]["update_timestamp"] = "yesterday"
    with pytest.raises(FeedFormatError, match="not a timestamp"):
        update_timestamp_from_prefix(body(document)[:200])


def plan_of(**fields: Any) -> Any:
    record = pilot_record()
    record["flight_plan"].update(fields)
    return parse_snapshot(body(feed(pilots=[record]))).pilots[0].flight_plan


def test_a_plan_seen_again_is_the_same_plan_and_one_changed_field_gives_a_new_one():
    assert plan_of() == plan_of() and plan_of() is plan_of()  # built once, from the memo
    assert plan_of(route="WOL H65 RAZZI").route == "WOL H65 RAZZI"
    assert plan_of().route == "WOL H65 RAZZI Q29 LIZZI"


def test_the_plan_memo_tells_values_apart_that_python_calls_equal():
    # 1, 1.0 and True are one dictionary key; as a revision they are 1, 1 and not a number.
    assert [plan_of(revision_id=v).revision_id for v in (1, True, 1.0, True)] == [1, None, 1, None]


def test_a_plan_holding_a_list_is_built_without_the_memo():
    assert plan_of(route=["WOL", "H65"]).route is None
