"""Movement detection scored against the simulator's ground truth (issue 5's accuracy targets)."""

from datetime import UTC, datetime

from bench.score_movements import score_simulated_period


def test_detection_meets_the_accuracy_targets_on_a_simulated_sample() -> None:
    scores, _ = score_simulated_period(datetime(2026, 11, 20, 22, tzinfo=UTC), hours=2.5, pilots=120, seed=11)
    for kind in ("departure", "arrival"):
        result = scores[kind]
        assert result.true > 50, kind
        assert result.precision >= 0.99, result
        assert result.recall >= 0.99, result
        assert result.median_error_s <= 30, result
