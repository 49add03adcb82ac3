"""The parser against three real, anonymised VATSIM snapshots, one per schema era."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vatstats_assets.core.feed import Snapshot, parse_snapshot, peek_update_timestamp, update_timestamp_from_prefix
from vatstats_tests.fixtures import FEED_FIXTURE_DATES, load_fixture_bytes


@pytest.fixture(scope="module", params=FEED_FIXTURE_DATES)
def era(request: pytest.FixtureRequest) -> tuple[str, Snapshot]:
    return request.param, parse_snapshot(load_fixture_bytes(request.param))


@pytest.fixture(scope="module")
def june_2021() -> Snapshot:
    return parse_snapshot(load_fixture_bytes("2021-06-13"))


@pytest.fixture(scope="module")
def july_2021() -> Snapshot:
    return parse_snapshot(load_fixture_bytes("2021-07-20"))


@pytest.fixture(scope="module")
def february_2024() -> Snapshot:
    return parse_snapshot(load_fixture_bytes("2024-02-20"))


# date: (pilots, controllers, atis, prefiles, servers, skipped, duplicates dropped)
EXPECTED_COUNTS = {
    "2021-06-13": (963, 106, 50, 52, 7, 0, 0),
    "2021-07-20": (637, 69, 34, 43, 7, 0, 0),
    "2024-02-20": (702, 62, 35, 107, 8, 0, 0),
}


def test_every_era_parses_to_exactly_the_published_counts_with_nothing_dropped(era):
    date, snapshot = era
    assert (
        len(snapshot.pilots),
        len(snapshot.controllers),
        len(snapshot.atis),
        len(snapshot.prefiles),
        len(snapshot.servers),
        len(snapshot.skipped),
        snapshot.duplicates_dropped,
    ) == EXPECTED_COUNTS[date]
    assert snapshot.skipped_by_reason() == {}


def test_every_era_has_its_lookup_tables_by_id(era):
    date, snapshot = era
    assert snapshot.facilities[4] == "TWR"
    assert snapshot.ratings[5] == "C1"
    assert snapshot.pilot_ratings[1] == "PPL"
    # Military ratings first appear in the 2024 feed.
    assert snapshot.military_ratings == ({} if date.startswith("2021") else {
        0: "M0", 1: "M1", 3: "M2", 7: "M3", 15: "M4"
    })


def test_every_timestamp_in_every_era_is_aware_utc(era):
    _, snapshot = era
    moments = [snapshot.update_timestamp]
    for connection in (*snapshot.pilots, *snapshot.controllers, *snapshot.atis):
        moments += [connection.logon_time, connection.last_updated]
    moments += [prefile.last_updated for prefile in snapshot.prefiles]
    assert all(moment.tzinfo is UTC for moment in moments)


def test_peek_reads_the_same_update_timestamp_as_the_full_parse(era):
    date, snapshot = era
    assert peek_update_timestamp(load_fixture_bytes(date)) == snapshot.update_timestamp


@pytest.mark.parametrize("prefix_bytes", [2048, 256])
def test_the_first_bytes_of_every_era_give_the_same_update_timestamp_as_the_full_parse(era, prefix_bytes):
    # The feed sensor reads only this much of a snapshot (feed_client.CHECK_PREFIX_BYTES is 2048).
    date, snapshot = era
    assert update_timestamp_from_prefix(load_fixture_bytes(date)[:prefix_bytes]) == snapshot.update_timestamp


def test_seven_digit_fractions_keep_their_first_six_digits_as_microseconds(june_2021):
    assert june_2021.update_timestamp == datetime(2021, 6, 13, 13, 45, 23, 435702, tzinfo=UTC)
    pilot = _by_callsign(june_2021.pilots, "GBT713")
    assert pilot.logon_time == datetime(2021, 6, 12, 23, 26, 43, 701594, tzinfo=UTC)
    assert pilot.last_updated == datetime(2021, 6, 13, 13, 45, 20, 171110, tzinfo=UTC)


def test_a_2021_pilot_reads_position_and_flight_plan_without_newer_fields(june_2021):
    pilot = _by_callsign(june_2021.pilots, "GBT713")
    assert (pilot.cid, pilot.latitude, pilot.longitude) == (1000001, 21.58802, -158.98773)
    assert (pilot.altitude_ft, pilot.groundspeed_kt, pilot.heading_deg) == (8979, 288, 304)
    assert (pilot.transponder, pilot.qnh_i_hg, pilot.qnh_mb) == ("2200", 30.1, 1019)
    assert pilot.military_rating is None
    plan = pilot.flight_plan
    assert plan is not None
    assert (plan.departure, plan.arrival, plan.alternate) == ("KMCO", "PHLI", "PHNL")
    assert (plan.altitude_ft, plan.cruise_tas_kt, plan.revision_id) == (34000, 484, 2)
    assert plan.assigned_transponder is None


def test_filed_altitudes_in_every_written_form_become_feet(june_2021, february_2024):
    def filed(snapshot: Snapshot, callsign: str) -> int | None:
        plan = _by_callsign(snapshot.pilots, callsign).flight_plan
        assert plan is not None
        return plan.altitude_ft

    assert filed(june_2021, "AFL155") == 32000  # "F320"
    assert filed(june_2021, "TSO004") == 38000  # "FL380"
    assert filed(june_2021, "ANZ30") == 32000  # "320", cruising at 36,987 ft
    assert filed(june_2021, "VHIVZ") == 3000  # "030"
    assert filed(june_2021, "4XCAU") is None  # "0"
    assert filed(february_2024, "CGGZ") is None  # "VFR"
    assert filed(february_2024, "STLH21") is None  # ""


def test_pilots_without_a_flight_plan_have_none(june_2021):
    assert sum(pilot.flight_plan is None for pilot in june_2021.pilots) == 56


def test_empty_flight_plan_airports_become_none(february_2024):
    plan = _by_callsign(february_2024.pilots, "STLH21").flight_plan
    assert plan is not None
    assert (plan.departure, plan.arrival, plan.alternate) == ("KMCO", None, None)


def test_controller_frequencies_become_integer_khz(june_2021, july_2021):
    assert _by_callsign(june_2021.atis, "LFRS_ATIS").frequency_khz == 126920
    assert _by_callsign(june_2021.controllers, "ACA7239").frequency_khz == 199998
    melbourne = _by_callsign(july_2021.controllers, "ML-SNO_CTR")
    assert (melbourne.frequency_khz, melbourne.facility, melbourne.rating) == (124000, 6, 5)
    assert melbourne.logon_time == datetime(2021, 7, 20, 10, 4, 29, 400029, tzinfo=UTC)
    assert _by_callsign(july_2021.controllers, "ML_APP").frequency_khz == 132000


def test_atis_text_lines_are_joined_and_a_null_atis_stays_none(june_2021):
    nantes = _by_callsign(june_2021.atis, "LFRS_ATIS")
    assert nantes.atis_code == "Q"
    assert nantes.text_atis is not None
    assert nantes.text_atis.startswith("BONJOUR. THIS IS NANTES ATLANTIQUE INFORMATION QUEBEC")
    assert nantes.text_atis.count("\n") == 6
    honolulu = _by_callsign(june_2021.atis, "PHNL_ATIS")
    assert (honolulu.text_atis, honolulu.atis_code) == (None, None)


def test_a_2024_pilot_carries_military_rating_and_assigned_transponder(february_2024):
    pilot = _by_callsign(february_2024.pilots, "QFA73")
    assert pilot.logon_time == datetime(2024, 2, 20, 11, 38, 44, tzinfo=UTC)
    assert pilot.military_rating == 0
    assert pilot.flight_plan is not None
    assert pilot.flight_plan.assigned_transponder == "1351"
    assert pilot.flight_plan.altitude_ft == 33000  # "330"
    assert _by_callsign(february_2024.pilots, "ASY01").military_rating == 15


def test_servers_read_the_connection_flag_of_either_era(june_2021, february_2024):
    assert [server.clients_connection_allowed for server in june_2021.servers] == [True] * 7
    germany2 = february_2024.servers[0]
    assert (germany2.ident, germany2.location) == ("GERMANY2", "Frankfurt, Germany")
    assert germany2.clients_connection_allowed is True


def test_prefiles_keep_their_flight_plans(february_2024):
    prefile = _by_callsign(february_2024.prefiles, "EXECJET")
    assert prefile.flight_plan is not None
    assert (prefile.flight_plan.departure, prefile.flight_plan.arrival) == ("KMSP", "CYWG")
    assert prefile.flight_plan.altitude_ft == 43000


def _by_callsign(connections, callsign):
    matches = [connection for connection in connections if connection.callsign == callsign]
    assert len(matches) == 1, f"{callsign} appears {len(matches)} times"
    return matches[0]
