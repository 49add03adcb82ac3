"""Incident logic: one alert when something starts failing, one when it recovers, silence between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vatstats_assets.core.freshness import FRESHNESS_LIMIT, is_fresh
from vatstats_assets.core.incidents import Change, FreshnessWatch, change, first_line, run_subject

T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def outcomes_to_changes(failed: list[bool]) -> list[Change]:
    changes, previous = [], None
    for outcome in failed:
        changes.append(change(previous, outcome))
        previous = outcome
    return changes


def test_three_failures_in_a_row_open_one_incident_and_a_success_closes_it() -> None:
    assert outcomes_to_changes([False, True, True, True, False, False]) == [
        Change.QUIET, Change.OPENED, Change.ONGOING, Change.ONGOING, Change.CLOSED, Change.QUIET,
    ]


def test_a_failure_with_nothing_before_it_opens_an_incident() -> None:
    assert change(None, failed=True) is Change.OPENED
    assert change(None, failed=False) is Change.QUIET


def test_a_named_job_is_one_subject_whatever_it_selected() -> None:
    assert run_subject("ingest_job", ["flights", "raw_feed_snapshot"]) == "ingest_job"
    assert run_subject("ingest_job", []) == "ingest_job"


def test_runs_of_the_hidden_asset_job_are_told_apart_by_what_they_ran() -> None:
    assert run_subject("__ASSET_JOB", ["network_status"]) == "network_status"
    assert run_subject("__ASSET_JOB", ["traffic_movements"]) != run_subject("__ASSET_JOB", ["network_status"])
    assert run_subject("__ASSET_JOB", ["e", "d", "c", "b", "a"]) == "a, b, c and 2 more"


def test_first_line_skips_blank_lines_and_cuts_long_ones() -> None:
    assert first_line("\n  The VATSIM feed could not be ingested: HTTP 503\nTraceback ...") == (
        "The VATSIM feed could not be ingested: HTTP 503"
    )
    assert first_line(None) == ""
    assert len(first_line("x" * 1000, limit=50)) == 50


def test_the_feed_is_fresh_up_to_the_limit_and_unjudged_when_nothing_is_stored() -> None:
    assert is_fresh(T0 - FRESHNESS_LIMIT, T0) is True
    assert is_fresh(T0 - FRESHNESS_LIMIT - timedelta(seconds=1), T0) is False
    assert is_fresh(None, T0) is None


def watch(judgements: list[bool | None]) -> tuple[FreshnessWatch, list[Change]]:
    """Feed judgements a minute apart through the cursor, as the sensor does."""
    state, changes = FreshnessWatch(), []
    for minute, fresh in enumerate(judgements):
        state, what = FreshnessWatch.from_cursor(state.to_cursor()).observe(fresh, T0 + timedelta(minutes=minute))
        changes.append(what)
    return state, changes


def test_a_stale_feed_is_announced_once_and_its_recovery_once() -> None:
    state, changes = watch([True, False, False, False, True, True])
    assert changes == [Change.QUIET, Change.OPENED, Change.ONGOING, Change.ONGOING, Change.CLOSED, Change.QUIET]
    assert state.stale_since is None


def test_the_incident_remembers_when_the_feed_went_stale() -> None:
    state, _ = watch([True, False, False])
    assert state.stale_since == (T0 + timedelta(minutes=1)).isoformat()


def test_stale_at_the_first_judgement_is_announced() -> None:
    assert watch([False])[1] == [Change.OPENED]


@pytest.mark.parametrize("before", [[], [True], [False]])
def test_nothing_stored_changes_nothing(before: list[bool | None]) -> None:
    state, _ = watch(before)
    assert state.observe(None, T0) == (state, Change.QUIET)
