from datetime import UTC, datetime, timedelta

from vatstats_assets.core.sector_scoring import ScoredStay, score_stays

T0 = datetime(2026, 11, 20, 6, tzinfo=UTC)
QFA1 = (1234567, "QFA1", T0)
FROM, TO = T0, T0 + timedelta(hours=2)


def stay(sector: str, entered_min: float, exited_min: float, connection=QFA1, entry="boundary") -> ScoredStay:
    return ScoredStay(sector, connection, T0 + timedelta(minutes=entered_min), T0 + timedelta(minutes=exited_min),
                      entry, "boundary")


def test_a_perfect_detection_scores_full_precision_and_recall() -> None:
    truth = [stay("ARL", 10, 20), stay("ELW", 20, 50)]
    scores = score_stays(truth, truth, scored_from=FROM, scored_to=TO)
    assert all(s.precision == s.recall == 1.0 and s.median_error_s == 0 for s in scores.values())


def test_a_stay_of_another_connection_or_sector_does_not_match() -> None:
    truth = [stay("ARL", 10, 20)]
    other = (1234567, "QFA1", T0 + timedelta(hours=1))
    scores = score_stays(truth, [stay("ARL", 10, 20, connection=other), stay("ELW", 10, 20)],
                         scored_from=FROM, scored_to=TO)
    assert scores["entry"].recall == 0 and scores["entry"].precision == 0
    assert scores["entry"].missed_by_kind == {"boundary": 1} and scores["entry"].false_by_kind == {"boundary": 2}


def test_timing_errors_are_measured_per_crossing_and_far_ones_are_misses() -> None:
    scores = score_stays([stay("ARL", 10, 20)], [stay("ARL", 10.25, 25)], scored_from=FROM, scored_to=TO)
    assert scores["entry"].median_error_s == 15 and scores["entry"].recall == 1
    assert scores["exit"].recall == 0 and scores["exit"].precision == 0


def test_a_crossing_just_outside_the_window_still_matches_one_just_inside() -> None:
    scores = score_stays([stay("ARL", 0.1, 20)], [stay("ARL", -0.1, 20)], scored_from=FROM, scored_to=TO)
    assert scores["entry"].true == 1 and scores["entry"].detected == 0 and scores["entry"].recall == 1
