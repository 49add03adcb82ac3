"""Coverage figures from ATC contacts: per completed flight and per controller day (pure: no I/O).

Both sides read the same `atc_contacts` rows, so they cannot disagree: a flight's covered time is the
union of its contacts (two controllers at once count once), and a controller's aircraft are the pilot
connections of its contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from vatstats_assets.core.coverage_rules import FACILITY_NAMES
from vatstats_assets.core.intervals import Interval, merge_intervals

PilotKey = tuple[int, str, datetime]  # cid, callsign, logon_time


def seconds(intervals: Iterable[Interval]) -> float:
    return sum((b - a).total_seconds() for a, b in intervals)


@dataclass(frozen=True)
class FlightCoverage:
    """flight_summaries' coverage columns (migration 013), in their order."""

    atc_covered_seconds: float
    atc_covered_share: float | None
    atc_airborne_covered_seconds: float | None
    atc_airborne_covered_share: float | None
    covered_fss_seconds: float
    covered_delivery_seconds: float
    covered_ground_seconds: float
    covered_tower_seconds: float
    covered_approach_seconds: float
    covered_centre_seconds: float


COLUMNS = tuple(FlightCoverage.__dataclass_fields__)


def _share(part: float, whole: float) -> float | None:
    return min(part / whole, 1.0) if whole > 0 else None


def flight_coverage(contacts: Sequence[tuple[int, datetime, datetime]], online: Interval,
                    airborne: Interval | None) -> FlightCoverage:
    """Coverage of one flight from its connection's contacts (facility, started_at, ended_at): over
    the connection's time online and over its airborne time (take-off to landing), and by facility."""
    # The connection's contacts count only while it was online: a contact begins half a snapshot
    # interval before its first snapshot, which can be before the logon, and a flight's take-off can
    # be on an earlier connection of its chain of reconnects. Clipped once, the airborne cover is
    # part of the cover online.
    online_cover = merge_intervals([(a, b) for _, a, b in contacts], *online)
    covered = seconds(online_cover)
    online_s = (online[1] - online[0]).total_seconds()
    airborne_covered = airborne_share = None
    if airborne is not None:
        airborne_covered = seconds(merge_intervals(online_cover, *airborne))
        airborne_share = _share(airborne_covered, (airborne[1] - airborne[0]).total_seconds())
    by_facility = {
        name: seconds(merge_intervals([(a, b) for facility, a, b in contacts if facility == code], *online))
        for code, name in FACILITY_NAMES.items()
    }
    return FlightCoverage(
        covered, _share(covered, online_s), airborne_covered, airborne_share,
        by_facility["fss"], by_facility["delivery"], by_facility["ground"], by_facility["tower"],
        by_facility["approach"], by_facility["centre"],
    )


@dataclass(frozen=True)
class ControllerLoad:
    """controller_summaries' aircraft columns (migration 013), in their order."""

    aircraft_handled: int
    peak_aircraft: int
    peak_aircraft_at: datetime | None


NO_AIRCRAFT = ControllerLoad(0, 0, None)


def controller_load(contacts: Iterable[tuple[PilotKey, datetime, datetime]]) -> ControllerLoad:
    """Distinct pilot connections a controller had contact with, and the most at once and when first.

    A pilot's overlapping contacts (two channels of one controller) count once; contacts touching
    end to start are not at once.
    """
    by_pilot: dict[PilotKey, list[Interval]] = {}
    for pilot, a, b in contacts:
        by_pilot.setdefault(pilot, []).append((a, b))
    if not by_pilot:
        return NO_AIRCRAFT
    # (time, +1 start / -1 end): at equal times ends sort first
    events = sorted((t, step) for spans in by_pilot.values() for a, b in merge_intervals(spans)
                    for t, step in ((a, 1), (b, -1)))
    now = peak = 0
    peak_at = None
    for at, step in events:
        now += step
        if now > peak:
            peak, peak_at = now, at
    return ControllerLoad(len(by_pilot), peak, peak_at)
