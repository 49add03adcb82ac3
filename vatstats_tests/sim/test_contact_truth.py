"""The contact ground truth: the rule of core/coverage_rules.py on the true trajectory and tuning, with
each special case the warehouse has to get right present in it."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import orjson

from bench.reference_contacts import detect_contacts
from vatstats_assets.core.contact_scoring import ScoredContact, score_contacts
from vatstats_assets.core.coverage_rules import channel_hz, is_controllable_channel
from vatstats_assets.core.geo import haversine_nm
from vatstats_assets.sim import GroundTruth, generate_snapshots
from vatstats_assets.sim.radio import pilot_radio
from vatstats_assets.sim.simulation import Simulation
from vatstats_assets.sim.timefmt import utc_from_epoch
from vatstats_assets.sim.truth import ContactTruth, event_from_json
from vatstats_tests.sim.coverage_sample import CoverageSample

SHARED_CHANNEL_HZ = 120_875_000  # SY_TWR's frequency, which EGLL_TWR uses too (sim/stations.py)
YSSY, EGLL = (-33.946, 151.177), (51.4706, -0.4619)


def scored(contact: ContactTruth) -> ScoredContact:
    return ScoredContact((contact.pilot_cid, contact.pilot_callsign, contact.pilot_logon_time),
                         (contact.atc_cid, contact.atc_callsign, contact.atc_logon_time),
                         contact.facility, contact.channel_hz, contact.started_at, contact.ended_at)


def moment(update_timestamp: str) -> datetime:
    return datetime.fromisoformat(update_timestamp[:26].replace("Z", "")).replace(tzinfo=UTC)


def radios_during(sample: CoverageSample, contact: ContactTruth) -> list[dict]:
    """The pilot's served transceivers at the ticks inside the contact."""
    found = []
    for data, transceivers in sample.ticks:
        if contact.started_at < moment(data["general"]["update_timestamp"]) < contact.ended_at:
            found += [t for e in transceivers if e["callsign"] == contact.pilot_callsign for t in e["transceivers"]]
    return found


def test_contacts_seen_in_the_15_s_snapshots_match_the_truth(coverage_sample: CoverageSample) -> None:
    detected = detect_contacts(coverage_sample.ticks)
    truth = [scored(c) for c in coverage_sample.truth.contacts]
    start = coverage_sample.simulation.tick(0).moment.replace(microsecond=0)
    score = score_contacts(truth, detected, scored_from=start, scored_to=coverage_sample.end)
    assert score.true > 400
    assert score.precision >= 0.99 and score.recall >= 0.99
    assert score.max_error_s is not None and score.max_error_s <= 15.0


def test_a_wrong_tune_interrupts_the_contact_it_replaces(coverage_sample: CoverageSample) -> None:
    by_pair: dict[tuple, list[ContactTruth]] = defaultdict(list)
    for c in coverage_sample.truth.contacts:
        by_pair[(c.pilot_cid, c.pilot_callsign, c.pilot_logon_time, c.atc_callsign)].append(c)
    interrupted = 0
    for session, connection in coverage_sample.pilot_connections.values():
        radio = pilot_radio(session, connection)
        if math.isinf(radio.wrong_from):
            continue
        wrong_from, wrong_to = utc_from_epoch(radio.wrong_from), utc_from_epoch(radio.wrong_to)
        for (cid, callsign, logon, _), contacts in by_pair.items():
            if (cid, callsign, logon) != (session.cid, session.callsign, connection.logon_datetime):
                continue
            if any(abs((c.ended_at - wrong_from).total_seconds()) < 0.01 for c in contacts):
                interrupted += 1
                assert not any(c.started_at < wrong_to - timedelta(seconds=1) and c.ended_at > wrong_from
                               + timedelta(seconds=1) for c in contacts)
    assert interrupted >= 1


def test_the_far_away_controller_on_the_same_frequency_is_not_a_contact(coverage_sample: CoverageSample) -> None:
    shared = [c for c in coverage_sample.truth.contacts if c.channel_hz == SHARED_CHANNEL_HZ]
    egll_online = [s for s in coverage_sample.truth.controller_sessions if s.callsign == "EGLL_TWR"]
    assert {c.atc_callsign for c in shared} == {"SY_TWR", "EGLL_TWR"}
    # Sydney's contacts while Heathrow was on the same channel: the channel alone would pair them too.
    assert any(c.atc_callsign == "SY_TWR" and any(s.start < c.ended_at and c.started_at < s.end for s in egll_online)
               for c in shared)
    for contact in shared:
        home = YSSY if contact.atc_callsign == "SY_TWR" else EGLL
        for radio in radios_during(coverage_sample, contact):
            assert haversine_nm(radio["latDeg"], radio["lonDeg"], *home) < 60
    pilots_of = defaultdict(set)
    for c in shared:
        pilots_of[c.atc_callsign].add((c.pilot_cid, c.pilot_logon_time))
    assert not pilots_of["SY_TWR"] & pilots_of["EGLL_TWR"]


def test_an_833_channel_reported_by_its_name_is_a_contact_with_the_carrier(coverage_sample: CoverageSample) -> None:
    on_833 = [c for c in coverage_sample.truth.contacts if c.channel_hz % 25_000]
    assert on_833
    named = carried = 0
    for contact in on_833:
        for radio in radios_during(coverage_sample, contact):
            if channel_hz(radio["frequency"]) == contact.channel_hz:
                named += radio["frequency"] % 5_000 == 0 and radio["frequency"] != contact.channel_hz
                carried += radio["frequency"] == contact.channel_hz
    assert named and carried


def test_atis_observers_guard_and_unicom_are_never_contacts(coverage_sample: CoverageSample) -> None:
    atis = {s.callsign for s in coverage_sample.truth.controller_sessions if s.section == "atis"}
    contacts = coverage_sample.truth.contacts
    assert atis and not {c.atc_callsign for c in contacts} & atis
    assert all(1 <= c.facility <= 6 and is_controllable_channel(c.channel_hz) for c in contacts)
    # ... though pilots do sit on them: COM2 on guard or an ATIS, COM1 on UNICOM.
    atis_channels = {t["frequency"] for _, transceivers in coverage_sample.ticks for e in transceivers
                     if e["callsign"] in atis for t in e["transceivers"]}
    pilot_radios = {t["frequency"] for data, transceivers in coverage_sample.ticks[:40] for e in transceivers
                    if e["callsign"] in {p["callsign"] for p in data["pilots"]} for t in e["transceivers"]}
    assert {121_500_000, 122_800_000} <= pilot_radios and pilot_radios & atis_channels


def test_a_callsign_used_twice_keeps_its_two_connections_apart(coverage_sample: CoverageSample) -> None:
    logons: dict[tuple[int, str], set[datetime]] = defaultdict(set)
    for c in coverage_sample.truth.contacts:
        logons[(c.pilot_cid, c.pilot_callsign)].add(c.pilot_logon_time)
    assert any(len(times) > 1 for times in logons.values())


def test_contacts_hours_after_logon_are_in_the_truth(coverage_sample: CoverageSample) -> None:
    late = [c for c in coverage_sample.truth.contacts if c.started_at - c.pilot_logon_time > timedelta(hours=2)]
    assert late and any(c.facility == 6 for c in late)


def test_every_contact_lies_inside_both_connections_and_the_window(coverage_sample: CoverageSample) -> None:
    sessions = {(s.cid, s.callsign, s.logon_time): s for s in coverage_sample.truth.controller_sessions}
    start, end = coverage_sample.simulation.tick(0).moment.replace(microsecond=0), coverage_sample.end
    for c in coverage_sample.truth.contacts:
        atc = sessions[(c.atc_cid, c.atc_callsign, c.atc_logon_time)]
        assert start <= c.started_at <= c.ended_at <= end + timedelta(milliseconds=1)  # rounded to the ms
        assert atc.start - timedelta(seconds=1) <= c.started_at and c.ended_at <= atc.end + timedelta(seconds=1)
        assert c.pilot_logon_time <= c.started_at


def test_contacts_go_to_the_truth_file_and_back(coverage_sample: CoverageSample) -> None:
    contacts = coverage_sample.truth.contacts[:50]
    assert [event_from_json(orjson.loads(orjson.dumps(c.to_json()))) for c in contacts] == contacts


def test_the_same_seed_gives_the_same_transceivers_and_contacts() -> None:
    def run() -> tuple[list[bytes], list[ContactTruth]]:
        truth = GroundTruth()
        simulation = Simulation(start=datetime(2026, 11, 20, 6, tzinfo=UTC), pilots=40, seed=4, controllers=15)
        bodies = [orjson.dumps(simulation.transceivers(simulation.tick(i), truth)) for i in range(60)]
        simulation.finish(simulation.tick(59).epoch, truth)
        return bodies, truth.contacts

    first, second = run(), run()
    assert first == second and first[1]


def test_leaving_the_contacts_out_of_the_truth_changes_nothing_else() -> None:
    def run(contacts: bool) -> tuple[list[bytes], GroundTruth]:
        truth = GroundTruth()
        start = datetime(2026, 11, 20, 6, tzinfo=UTC)
        bodies = [orjson.dumps(d) for _, d in generate_snapshots(start, 0.25, 40, 4, 15, truth=truth, contacts=contacts)]
        return bodies, truth

    (with_bodies, with_truth), (without_bodies, without_truth) = run(True), run(False)
    assert with_bodies == without_bodies and with_truth.movements == without_truth.movements
    assert with_truth.contacts and not without_truth.contacts
