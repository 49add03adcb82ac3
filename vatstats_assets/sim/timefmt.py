"""Timestamps the way the VATSIM feed writes them (.NET "o" format with trailing zeros trimmed)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def feed_timestamp(moment: datetime) -> str:
    """'2024-02-20T20:06:14.780207Z': 0 to 7 fractional digits, as the feed prints them."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}0".rstrip("0")
    return text + "Z"


def truth_timestamp(moment: datetime) -> str:
    """Ground-truth instants: whole seconds, 'Z'."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def truth_instant(moment: datetime) -> str:
    """Ground-truth instants timed finer than a second (sector entries): milliseconds, 'Z'."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_utc(text: str) -> datetime:
    """Parse an ISO-8601 instant given on the command line ('2026-11-20T00:00:00Z'); naive means UTC."""
    moment = datetime.fromisoformat(text.strip().replace("z", "Z").replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
