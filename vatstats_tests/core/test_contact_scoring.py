"""Scoring detected ATC contacts against the truth: matched per pair of connections by overlap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vatstats_assets.core.contact_scoring import ScoredContact, score_contacts

DAY = datetime(2026, 11, 20, tzinfo=UTC)
QFA1 = (1234567, "QFA1", DAY + timedelta(hours=5))
SY_TWR = (900001, "SY_TWR", DAY + timedelta(hours=4))
ML_CTR = (900002, "ML-SNO_CTR", DAY + timedelta(hours=4))


def at(minutes: float) -> datetime:
    return DAY + timedelta(hours=6, minutes=minutes)


def contact(start: float, end: float, atc: tuple = SY_TWR, pilot: tuple = QFA1) -> ScoredContact:
    return ScoredContact(pilot, atc, 4 if atc is SY_TWR else 6, 120_875_000, at(start), at(end))


def scored(truth: list[ScoredContact], detected: list[ScoredContact], start: float = -600, end: float = 600):
    return score_contacts(truth, detected, scored_from=at(start), scored_to=at(end))


def test_a_detected_contact_overlapping_the_true_one_matches_with_its_duration_difference_as_error() -> None:
    score = scored([contact(0, 10)], [contact(-0.1, 10.05)])
    assert (score.precision, score.recall) == (1.0, 1.0)
    assert score.errors_s == pytest.approx((9.0,))
    assert score.within_tolerance == 1.0


def test_a_contact_with_another_controller_at_the_same_time_does_not_match() -> None:
    score = scored([contact(0, 10)], [contact(0, 10, atc=ML_CTR)])
    assert (score.matched_true, score.precision, score.recall) == (0, 0.0, 0.0)
    assert score.missed_by_facility == {4: 1} and score.false_by_facility == {6: 1}


def test_the_same_pilot_callsign_with_another_logon_time_is_another_connection() -> None:
    other_connection = (QFA1[0], QFA1[1], QFA1[2] + timedelta(hours=3))
    assert scored([contact(0, 10)], [contact(0, 10, pilot=other_connection)]).matched_true == 0


def test_two_true_contacts_seen_as_one_are_both_found_and_their_covered_time_compared_together() -> None:
    truth = [contact(0, 10), contact(20, 30)]
    detected = [contact(0, 21)]  # overlaps the first by 10 minutes, the second by 1
    score = scored(truth, detected)
    assert (score.matched_true, score.matched_detected, score.recall) == (2, 1, 1.0)
    assert score.errors_s == pytest.approx((60.0,))  # 21 minutes detected for 20 true


def test_a_true_contact_seen_as_two_counts_both_detected_rows_right() -> None:
    score = scored([contact(0, 30)], [contact(0, 10), contact(10.25, 30)])
    assert (score.precision, score.recall) == (1.0, 1.0)
    assert score.errors_s == pytest.approx((-15.0,))


def test_a_true_contact_shorter_than_a_snapshot_interval_may_go_unseen() -> None:
    score = scored([contact(0, 10), contact(30, 30.2)], [contact(0, 10)])
    assert (score.unobservable, score.recall) == (1, 1.0)


def test_a_contact_cut_at_midnight_into_two_rows_is_scored_as_one() -> None:
    truth = [contact(0, 10)]
    detected = [contact(0, 5), contact(5, 10)]
    score = scored(truth, detected)
    assert (score.precision, score.recall, score.errors_s) == (1.0, 1.0, (0.0,))


def test_a_true_gap_shorter_than_a_snapshot_interval_does_not_split_a_contact() -> None:
    score = scored([contact(0, 10), contact(10.1, 20)], [contact(0, 20)])
    assert (score.true, score.precision, score.recall) == (1, 1.0, 1.0)
    assert score.errors_s == pytest.approx((0.0,))


def test_a_detected_gap_is_real_however_short() -> None:
    score = scored([contact(0, 10), contact(10.1, 20)], [contact(0, 10), contact(10.1, 20)])
    assert (score.true, score.detected, score.matched_detected) == (1, 2, 2)


def test_contacts_are_clipped_to_the_scored_window() -> None:
    score = scored([contact(-5, 10)], [contact(-5.1, 10.1)], start=0, end=10)
    assert score.errors_s == (0.0,) and score.true_seconds == 600.0


def test_covered_time_off_by_more_than_a_snapshot_interval_is_outside_the_tolerance() -> None:
    score = scored([contact(0, 10), contact(0, 10, atc=ML_CTR)], [contact(0, 10.5), contact(0, 10.2, atc=ML_CTR)])
    assert score.within_tolerance == 0.5
    assert score.max_error_s == pytest.approx(30.0)
