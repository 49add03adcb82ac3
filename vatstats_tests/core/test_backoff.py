from datetime import UTC, datetime, timedelta

from vatstats_assets.core.backoff import BASE_PAUSE, FAILURES_BEFORE_BACKOFF, MAX_PAUSE, FeedPollState

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def fail_times(state: FeedPollState, n: int) -> FeedPollState:
    for _ in range(n):
        state = state.after_failure(NOW, "HTTP 500")
    return state


def test_one_or_two_failures_do_not_pause_polling() -> None:
    state = fail_times(FeedPollState(), FAILURES_BEFORE_BACKOFF - 1)
    assert not state.paused_at(NOW)


def test_repeated_failures_pause_and_the_pause_doubles() -> None:
    third = fail_times(FeedPollState(), FAILURES_BEFORE_BACKOFF)
    fourth = third.after_failure(NOW, "HTTP 500")
    assert datetime.fromisoformat(third.paused_until) == NOW + BASE_PAUSE
    assert datetime.fromisoformat(fourth.paused_until) == NOW + 2 * BASE_PAUSE
    assert third.paused_at(NOW + BASE_PAUSE - timedelta(seconds=1))
    assert not third.paused_at(NOW + BASE_PAUSE)


def test_the_pause_never_exceeds_ten_minutes() -> None:
    state = fail_times(FeedPollState(), 30)
    assert datetime.fromisoformat(state.paused_until) == NOW + MAX_PAUSE


def test_retry_after_is_honoured_from_the_first_failure() -> None:
    state = FeedPollState().after_failure(NOW, "HTTP 429", retry_after=timedelta(seconds=40))
    assert state.paused_at(NOW + timedelta(seconds=39))


def test_a_success_closes_the_breaker_and_remembers_the_snapshot() -> None:
    state = fail_times(FeedPollState(), 5).after_success("2026-11-28T12:00:00+00:00")
    assert state == FeedPollState(last_update_timestamp="2026-11-28T12:00:00+00:00")


def test_the_state_survives_a_round_trip_through_the_cursor() -> None:
    state = fail_times(FeedPollState(), 4)
    assert FeedPollState.from_cursor(state.to_cursor()) == state


def test_an_unreadable_cursor_starts_fresh() -> None:
    assert FeedPollState.from_cursor("not json") == FeedPollState()
