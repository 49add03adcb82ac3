"""core/flight_coverage.py: a flight's covered time and a controller's aircraft, from the same contacts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vatstats_assets.core.flight_coverage import controller_load, flight_coverage
from vatstats_assets.core.intervals import merge_intervals

T0 = datetime(2026, 11, 20, 6, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_overlapping_and_touching_intervals_merge_and_are_clipped() -> None:
    assert merge_intervals([(at(0), at(10)), (at(5), at(20)), (at(20), at(25)), (at(40), at(50))], at(2), at(45)) == [
        (at(2), at(25)), (at(40), at(45))]


def test_two_controllers_at_once_cover_a_flight_once_and_each_facility_has_its_own_time() -> None:
    contacts = [(4, at(0), at(10)), (5, at(5), at(30)), (6, at(60), at(90))]
    coverage = flight_coverage(contacts, online=(at(-10), at(110)), airborne=(at(8), at(100)))
    assert coverage.atc_covered_seconds == 60 * 60  # 0-30 and 60-90
    assert coverage.atc_covered_share == 0.5
    assert coverage.atc_airborne_covered_seconds == 52 * 60  # 8-30 and 60-90
    assert coverage.atc_airborne_covered_share == 52 / 92
    assert (coverage.covered_tower_seconds, coverage.covered_approach_seconds, coverage.covered_centre_seconds) == (
        600, 1500, 1800)
    assert coverage.covered_delivery_seconds == coverage.covered_ground_seconds == coverage.covered_fss_seconds == 0


def test_airborne_cover_is_never_more_than_the_cover_online_when_a_contact_begins_before_the_logon() -> None:
    # Taken off on an earlier connection of the chain; the contact's half interval reaches 5 s before
    # this connection's logon.
    logon = at(0)
    contacts = [(6, logon - timedelta(seconds=5), at(30))]
    coverage = flight_coverage(contacts, online=(logon, at(60)), airborne=(at(-20), at(50)))
    assert coverage.atc_covered_seconds == coverage.atc_airborne_covered_seconds == 30 * 60
    assert coverage.atc_airborne_covered_share == 30 / 70


def test_a_flight_without_contacts_or_take_off_has_zero_cover_and_no_airborne_share() -> None:
    coverage = flight_coverage([], online=(at(0), at(60)), airborne=None)
    assert coverage.atc_covered_seconds == 0 and coverage.atc_covered_share == 0
    assert coverage.atc_airborne_covered_seconds is None and coverage.atc_airborne_covered_share is None


def test_a_controller_counts_each_pilot_once_and_the_peak_when_first_reached() -> None:
    a, b, c = (1, "QFA1", T0), (2, "QFA2", T0), (3, "QFA3", T0)
    load = controller_load([
        (a, at(0), at(30)), (a, at(10), at(20)),  # one pilot on two channels: once
        (b, at(5), at(15)), (c, at(15), at(25)),  # b ends as c starts: never three at once
        (b, at(40), at(50)), (c, at(45), at(50)), (a, at(45), at(60)),  # three at once from 45
    ])
    assert (load.aircraft_handled, load.peak_aircraft, load.peak_aircraft_at) == (3, 3, at(45))


def test_a_controller_without_contacts_handled_nobody() -> None:
    load = controller_load([])
    assert (load.aircraft_handled, load.peak_aircraft, load.peak_aircraft_at) == (0, 0, None)
