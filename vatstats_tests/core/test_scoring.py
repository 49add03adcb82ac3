from datetime import UTC, datetime, timedelta

from vatstats_assets.core.scoring import ScoredMovement, score

T = datetime(2026, 11, 20, 6, tzinfo=UTC)


def m(kind: str, seconds: float, airport: str = "YSSY", cid: int = 1) -> ScoredMovement:
    return ScoredMovement(kind, airport, cid, T + timedelta(seconds=seconds))


def test_a_perfect_detection_scores_full_precision_and_recall() -> None:
    result = score([m("arrival", 0)], [m("arrival", 10)])["arrival"]
    assert (result.precision, result.recall, result.median_error_s) == (1.0, 1.0, 10.0)


def test_a_movement_at_another_airport_does_not_match() -> None:
    result = score([m("arrival", 0)], [m("arrival", 0, airport="YMML")])["arrival"]
    assert result.matched == 0 and result.precision == 0.0 and result.recall == 0.0


def test_each_true_movement_matches_once_closest_first() -> None:
    result = score([m("departure", 0)], [m("departure", 50), m("departure", 5)])["departure"]
    assert result.matched == 1 and result.median_error_s == 5.0 and result.precision == 0.5


def test_a_detection_too_far_in_time_is_a_miss() -> None:
    assert score([m("arrival", 0)], [m("arrival", 600)])["arrival"].matched == 0
