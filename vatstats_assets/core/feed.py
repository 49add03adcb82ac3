"""The VATSIM v3 feed: typed model and tolerant parser, in one import.

    from vatstats_assets.core.feed import parse_snapshot, Snapshot, FeedFormatError

The model lives in `feed_model`, single-value conversions in `feed_values`, and the
snapshot parser in `feed_parse`; this module is the name the rest of the project uses.
"""

from vatstats_assets.core.feed_model import (
    Controller,
    FeedFormatError,
    FlightPlan,
    General,
    Pilot,
    Prefile,
    Server,
    SkippedRecord,
    Snapshot,
)
from vatstats_assets.core.feed_parse import (
    SUPPORTED_FEED_VERSION,
    parse_document,
    parse_snapshot,
    peek_update_timestamp,
    update_timestamp_from_prefix,
)
from vatstats_assets.core.feed_values import (
    parse_altitude_ft,
    parse_cruise_tas_kt,
    parse_feed_timestamp,
    parse_frequency_khz,
)

__all__ = [
    "SUPPORTED_FEED_VERSION",
    "Controller",
    "FeedFormatError",
    "FlightPlan",
    "General",
    "Pilot",
    "Prefile",
    "Server",
    "SkippedRecord",
    "Snapshot",
    "parse_altitude_ft",
    "parse_cruise_tas_kt",
    "parse_document",
    "parse_feed_timestamp",
    "parse_frequency_khz",
    "parse_snapshot",
    "peek_update_timestamp",
    "update_timestamp_from_prefix",
]
