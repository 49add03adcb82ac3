import gzip
from datetime import UTC, datetime

import pytest

from vatstats_assets.core.feed import parse_snapshot
from vatstats_assets.core.region import region
from vatstats_assets.core.snapshot_rows import PositionRow, body_may_contain_nul, moved_positions, tick_rows
from vatstats_tests.fixtures import FEED_FIXTURE_DATES, load_fixture_bytes


def position(cid, callsign, logon, latitude, longitude, altitude_ft, groundspeed_kt) -> PositionRow:
    return PositionRow(cid, callsign, logon, logon, latitude, longitude, altitude_ft, groundspeed_kt, 0)


def snapshot():
    return parse_snapshot(load_fixture_bytes("2024-02-20"))


def test_every_row_is_observed_at_the_snapshot_time() -> None:
    snap = snapshot()
    rows = tick_rows(snap, region("global"))
    assert {r.last_seen for r in rows.flights} == {snap.update_timestamp}
    assert {r.observed_at for r in rows.positions} == {snap.update_timestamp}


def test_atis_stations_are_marked_as_such() -> None:
    rows = tick_rows(snapshot(), region("global"))
    atis = [r for r in rows.atc_positions if r.is_atis]
    assert atis and all(r.callsign.endswith("_ATIS") for r in atis)


def test_names_are_dropped_when_not_wanted() -> None:
    rows = tick_rows(snapshot(), region("global"), store_names=False)
    assert all(r.name is None for r in rows.flights + rows.atc_positions)


def test_a_record_with_a_nul_character_is_refused_with_a_reason() -> None:
    body = load_fixture_bytes("2024-02-20").replace(b'"Pilot 1000001"', b'"Pilot \\u0000 1000001"', 1)
    rows = tick_rows(parse_snapshot(body), region("global"))
    assert rows.rejected == {"pilot text contains a NUL character": 1}
    assert all(r.cid != 1000001 for r in rows.flights)


def test_a_parked_aircraft_is_not_stored_again_but_a_moving_one_is() -> None:
    logon = datetime(2026, 11, 28, tzinfo=UTC)
    parked = position(1, "A", logon, 1.0, 2.0, 10, 0)
    moving = parked._replace(cid=2, latitude=1.1)
    new = parked._replace(cid=3)
    stored = {(1, "A", logon): (1.0, 2.0, 10, 0), (2, "A", logon): (1.0, 2.0, 10, 0)}
    assert [r.cid for r in moved_positions([parked, moving, new], stored)] == [2, 3]


def test_a_body_without_an_escaped_nul_needs_no_per_record_check() -> None:
    assert not body_may_contain_nul(load_fixture_bytes("2024-02-20"))
    assert body_may_contain_nul(b'{"name": "bad \\u0000 name"}')


@pytest.mark.parametrize("body", [
    *(load_fixture_bytes(date) for date in FEED_FIXTURE_DATES),
    b'{"name": "a \\\\u0000 written out"}',  # an escaped backslash, then the text u0000: assumed
    b'{"remarks": "\\/\\"\\\\"}', b'{"name": "ends in a backslash \\',
    b'{"remarks": "' + b"\\/" * 5_000 + b'\\u0000"}', b'{"remarks": "' + b"\\/" * 5_000 + b'"}',
], ids=[*FEED_FIXTURE_DATES, "escaped backslash", "a few escapes", "backslash last",
        "thousands then a NUL", "thousands"])
def test_a_body_may_hold_a_nul_exactly_when_it_holds_the_escape(body: bytes) -> None:
    assert body_may_contain_nul(body) == (b"\\u0000" in body)


def test_a_compressed_body_is_assumed_to_hold_a_nul() -> None:
    assert body_may_contain_nul(gzip.compress(b'{"name": "fine"}'))


def test_a_parked_aircraft_whose_altitude_wanders_a_few_feet_is_not_stored_again() -> None:
    logon = datetime(2026, 11, 28, tzinfo=UTC)
    row = position(1, "A", logon, 1.0, 2.0, 18, 0)
    assert moved_positions([row], {(1, "A", logon): (1.0, 2.0, 10, 0)}) == []


def test_a_hovering_climb_at_zero_groundspeed_is_stored() -> None:
    logon = datetime(2026, 11, 28, tzinfo=UTC)
    row = position(1, "H", logon, 1.0, 2.0, 400, 0)
    assert moved_positions([row], {(1, "H", logon): (1.0, 2.0, 10, 0)}) == [row]
