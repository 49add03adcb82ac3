"""Fault modes: the ways a real feed misbehaves, on demand, for reliability tests.

The `transceivers_*` modes apply to the transceivers URL only; every other mode to the data URL only
(the transceivers URL answers normally meanwhile). Transport faults (status codes, delays, broken bodies) are applied by the server; the content
faults below rewrite a snapshot. They always build new dicts: a snapshot shares each session's
flight-plan dict, which must never be mutated.
"""

from __future__ import annotations

FAULT_MODES: tuple[str, ...] = (
    "http500",  # HTTP 500 with a short error body
    "http429",  # HTTP 429 with Retry-After: 7
    "slow",  # waits 3 s, then serves normally
    "timeout",  # waits 60 s (longer than any sane client timeout)
    "truncated",  # the JSON cut in half
    "invalid_json",  # an HTML error page served as 200 application/json
    "empty",  # 200 with an empty body
    "oversized",  # a valid 40 MiB JSON body (padding field): clients must cap what they read
    "previous",  # the previous snapshot again (same update_timestamp as last time)
    "older",  # a snapshot from 5 minutes before the current one
    "extra_fields",  # unknown keys added at every level
    "missing_optional",  # no assigned_transponder, military_rating, server flags; text_atis null
    # Faults of the transceivers URL alone (the data URL behaves): the ingest must store the snapshot
    # without transceivers.
    "transceivers_down",  # HTTP 503 on the transceivers URL
    "transceivers_slow",  # the transceivers URL waits 3 s, then serves
    "transceivers_timeout",  # the transceivers URL waits 60 s
)
TRANSCEIVER_FAULTS = frozenset(mode for mode in FAULT_MODES if mode.startswith("transceivers_"))

RETRY_AFTER_S = 7
SLOW_DELAY_S = 3.0
TIMEOUT_DELAY_S = 60.0
OVERSIZED_BYTES = 40 * 1024 * 1024
OLDER_BY_SNAPSHOTS = 20  # 20 x 15 s = 5 minutes
INVALID_JSON_BODY = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"

_EXTRA = {"sim_unknown_field": "added by the simulator's extra_fields fault", "sim_unknown_number": 42}


def check_fault(mode: str | None) -> str | None:
    """Return the mode if known; raise ValueError naming the valid modes otherwise."""
    if mode is None or mode == "":
        return None
    if mode not in FAULT_MODES:
        raise ValueError(f"unknown fault mode {mode!r}; expected one of: {', '.join(FAULT_MODES)}")
    return mode


def with_extra_fields(snapshot: dict) -> dict:
    """A copy with unknown keys at every level a parser walks (top, sections, records, flight plans)."""

    def record(item: dict) -> dict:
        copy = dict(item, **_EXTRA)
        if isinstance(copy.get("flight_plan"), dict):
            copy["flight_plan"] = dict(copy["flight_plan"], **_EXTRA)
        return copy

    result = {
        key: [record(item) for item in value] if isinstance(value, list) else value for key, value in snapshot.items()
    }
    result["general"] = dict(snapshot["general"], **_EXTRA)
    result["sim_unknown_section"] = [{"id": 1, **_EXTRA}]
    return result


def without_optional_fields(snapshot: dict) -> dict:
    """A copy shaped like an older feed: fields added in later feed versions are missing, text_atis null."""

    def plan(flight_plan: dict | None) -> dict | None:
        if flight_plan is None:
            return None
        return {k: v for k, v in flight_plan.items() if k != "assigned_transponder"}

    def pilot(item: dict) -> dict:
        copy = {k: v for k, v in item.items() if k != "military_rating"}
        copy["flight_plan"] = plan(item["flight_plan"])
        return copy

    server_flags = {"clients_connection_allowed", "client_connections_allowed", "is_sweatbox"}
    result = dict(snapshot)
    result["pilots"] = [pilot(p) for p in snapshot["pilots"]]
    result["prefiles"] = [dict(p, flight_plan=plan(p["flight_plan"])) for p in snapshot["prefiles"]]
    result["controllers"] = [dict(c, text_atis=None) for c in snapshot["controllers"]]
    result["atis"] = [dict(a, text_atis=None) for a in snapshot["atis"]]
    result["servers"] = [{k: v for k, v in s.items() if k not in server_flags} for s in snapshot["servers"]]
    return result


def oversized(body: bytes, size: int = OVERSIZED_BYTES) -> bytes:
    """The snapshot JSON padded with a long string field to exactly `size` bytes (still valid JSON)."""
    head = body.rstrip()[:-1] + b',"sim_padding":"'
    tail = b'"}'
    padding = max(0, size - len(head) - len(tail))
    return head + b"x" * padding + tail
