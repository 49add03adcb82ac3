from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from vatstats_assets.core.sessions import ControllerConnection, ControllerDay, controller_days, merge_sessions

DAY_1 = date(2026, 11, 20)
DAY_2 = date(2026, 11, 21)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def connection(
    logon: str, last_seen: str, callsign: str = "ML-SNO_CTR", cid: int = 1234, facility: int = 6, rating: int = 5
) -> ControllerConnection:
    return ControllerConnection(callsign, cid, at(logon), at(last_seen), facility, rating)


def only_day(conns: list[ControllerConnection], day: date) -> ControllerDay:
    (result,) = controller_days(conns, day=day)
    return result


def test_session_crossing_midnight_is_split_between_days() -> None:
    conns = [connection("2026-11-20 22:30:00", "2026-11-21 01:15:00")]
    first, second = only_day(conns, DAY_1), only_day(conns, DAY_2)
    assert (first.minutes_online, second.minutes_online) == (90.0, 75.0)
    assert (first.sessions, second.sessions) == (1, 1)
    assert (first.date, second.date) == (DAY_1, DAY_2)


def test_reconnect_within_five_minutes_is_one_session() -> None:
    conns = [
        connection("2026-11-20 10:00:00", "2026-11-20 11:00:00"),
        connection("2026-11-20 11:05:00", "2026-11-20 12:00:00"),
    ]
    assert len(merge_sessions(conns)) == 1
    day = only_day(conns, DAY_1)
    assert (day.sessions, day.minutes_online) == (1, 120.0)  # the 5 minute gap counts as online


def test_reconnect_after_six_minutes_is_two_sessions() -> None:
    conns = [
        connection("2026-11-20 10:00:00", "2026-11-20 11:00:00"),
        connection("2026-11-20 11:06:00", "2026-11-20 12:00:00"),
    ]
    assert len(merge_sessions(conns)) == 2
    day = only_day(conns, DAY_1)
    assert (day.sessions, day.minutes_online) == (2, 114.0)


def test_merged_session_runs_from_first_logon_to_last_seen_with_the_latest_connection() -> None:
    conns = [
        connection("2026-11-20 11:03:00", "2026-11-20 12:00:00", rating=7),
        connection("2026-11-20 10:00:00", "2026-11-20 11:00:00", rating=5),
    ]
    ((start, end, representative),) = merge_sessions(conns)
    assert (start, end, representative.rating) == (at("2026-11-20 10:00:00"), at("2026-11-20 12:00:00"), 7)


def test_reconnects_merge_only_on_the_same_callsign_and_cid() -> None:
    conns = [
        connection("2026-11-20 10:00:00", "2026-11-20 11:00:00"),
        connection("2026-11-20 11:01:00", "2026-11-20 12:00:00", callsign="ML-SNO_APP"),
        connection("2026-11-20 11:01:00", "2026-11-20 12:00:00", cid=999),
    ]
    assert len(merge_sessions(conns)) == 3
    assert [(d.callsign, d.cid, d.sessions) for d in controller_days(conns, day=DAY_1)] == [
        ("ML-SNO_APP", 1234, 1),
        ("ML-SNO_CTR", 999, 1),
        ("ML-SNO_CTR", 1234, 1),
    ]


def test_minutes_never_exceed_a_day_even_for_overlapping_connections() -> None:
    conns = [
        connection("2026-11-19 20:00:00", "2026-11-22 02:00:00"),
        connection("2026-11-20 06:00:00", "2026-11-20 18:00:00"),  # listed twice by the feed
        connection("2026-11-20 23:59:00", "2026-11-21 00:10:00"),
    ]
    day = only_day(conns, DAY_1)
    assert day.minutes_online == 1440.0
    assert day.sessions == 1


def test_facility_and_rating_come_from_the_latest_connection_of_the_day() -> None:
    conns = [
        connection("2026-11-20 08:00:00", "2026-11-20 09:00:00", facility=4, rating=3),
        connection("2026-11-20 15:00:00", "2026-11-20 16:00:00", facility=5, rating=4),
        connection("2026-11-21 08:00:00", "2026-11-21 09:00:00", facility=6, rating=5),
    ]
    first = only_day(conns, DAY_1)
    assert (first.facility, first.rating, first.sessions, first.minutes_online) == (5, 4, 2, 120.0)
    assert (only_day(conns, DAY_2).facility, only_day(conns, DAY_2).rating) == (6, 5)


def test_session_ending_exactly_at_midnight_is_not_counted_the_next_day() -> None:
    conns = [connection("2026-11-20 23:00:00", "2026-11-21 00:00:00")]
    assert only_day(conns, DAY_1).minutes_online == 60.0
    assert controller_days(conns, day=DAY_2) == []


def test_connection_seen_in_a_single_snapshot_is_a_session_of_no_minutes() -> None:
    conns = [connection("2026-11-20 10:00:00", "2026-11-20 10:00:00")]
    day = only_day(conns, DAY_1)
    assert (day.sessions, day.minutes_online) == (1, 0.0)


def test_custom_gap_is_respected() -> None:
    conns = [
        connection("2026-11-20 10:00:00", "2026-11-20 11:00:00"),
        connection("2026-11-20 11:08:00", "2026-11-20 12:00:00"),
    ]
    assert len(merge_sessions(conns, max_gap=timedelta(minutes=10))) == 1
    assert merge_sessions([]) == [] and controller_days([], day=DAY_1) == []


def test_times_without_a_timezone_are_rejected_in_one_sentence() -> None:
    naive = ControllerConnection("ML-SNO_CTR", 1234, datetime(2026, 11, 20, 10), datetime(2026, 11, 20, 11), 6, 5)
    with pytest.raises(ValueError, match="timezone-aware"):
        controller_days([naive], day=DAY_1)
