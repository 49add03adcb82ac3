from datetime import UTC, datetime, timedelta

from vatstats_assets.core.backoff import (
    BASE_PAUSE,
    FAILURES_BEFORE_BACKOFF,
    FEED_CADENCE,
    MAX_PAUSE,
    MIN_POLL_GAP,
    PUBLISH_MARGIN,
    FeedPollState,
)

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


def test_a_poll_is_due_only_once_the_next_snapshot_should_be_out() -> None:
    state = FeedPollState(last_update_timestamp=NOW.isoformat()).polled(NOW + timedelta(seconds=3))
    out = NOW + FEED_CADENCE + PUBLISH_MARGIN
    assert not state.poll_due_at(out - timedelta(seconds=1))
    assert state.poll_due_at(out)


def test_a_poll_due_before_the_next_evaluation_is_waited_for_and_a_later_one_is_not() -> None:
    state = FeedPollState(last_update_timestamp=NOW.isoformat())
    out = NOW + FEED_CADENCE + PUBLISH_MARGIN
    loop = timedelta(seconds=5)
    assert state.wait_before_poll(out - timedelta(seconds=3), within=loop) == timedelta(seconds=3)
    assert state.wait_before_poll(out - timedelta(seconds=6), within=loop) is None
    assert state.wait_before_poll(out + timedelta(seconds=1), within=loop) == timedelta(0)
    assert FeedPollState().wait_before_poll(NOW, within=loop) == timedelta(0)


def test_a_snapshot_not_yet_out_is_asked_for_again_at_the_next_daemon_loop() -> None:
    # An early poll found the last snapshot still served (a 304, no body): try again 5 s on.
    early = FeedPollState(last_update_timestamp=NOW.isoformat()).polled(NOW + timedelta(seconds=17))
    assert early.after_success(NOW.isoformat()).poll_due_at(NOW + timedelta(seconds=22))


def test_polls_are_never_closer_than_the_minimum_gap() -> None:
    state = FeedPollState(last_update_timestamp=NOW.isoformat()).polled(NOW + timedelta(seconds=20))
    assert not state.poll_due_at(NOW + timedelta(seconds=20) + MIN_POLL_GAP - timedelta(seconds=1))


def test_polling_keeps_in_step_with_the_feed_and_misses_no_snapshot() -> None:
    """An hour of daemon ticks every 5 s plus a variable evaluation time, against a feed publishing
    every 15 s: every snapshot is seen, with about one poll per snapshot."""
    state, seen, polls = FeedPollState(), set(), 0
    clock = NOW
    for i in range(720):
        clock += timedelta(seconds=5 + (i * 7 % 10) / 10)  # 5.0-5.9 s: the daemon's own overhead
        if not state.poll_due_at(clock):
            continue
        polls += 1
        state = state.polled(clock)
        # the feed serves the newest snapshot published at least 1 s ago
        elapsed = (clock - NOW - timedelta(seconds=1)).total_seconds()
        newest = NOW + timedelta(seconds=15 * int(elapsed // 15))
        seen.add(newest)
        state = state.after_success(newest.isoformat())
    published = {NOW + timedelta(seconds=15 * k) for k in range(1, int((clock - NOW).total_seconds() // 15) - 1)}
    assert published <= seen
    assert polls <= len(published) * 1.1
