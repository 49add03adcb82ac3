"""Hourly load and staffing of each sector, from its stays and the controllers online.

A sector is *staffed* while a controller covers it: a position logged on with the sector's own
callsign (relief callsigns such as SY_1_APP count as SY_APP), or on its frequency with the same
area prefix (ML-ARL_CTR's frequency under ML-...), or a position of a sector responsible for it
(vatSys `ResponsibleSectors`, followed upwards: ELW covers ARL, which covers SY_APP). A GeoJSON
boundary has no callsign: its FIR id as the callsign's prefix with a _CTR or _FSS suffix staffs it
(YMMM_CTR, NZZO_FSS). Observers (facility 0) staff nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from vatstats_assets.core.airspace import Airspace
from vatstats_assets.core.intervals import merge_intervals
from vatstats_assets.core.sector_occupancy import Stay

_HOUR = timedelta(hours=1)
_FIR_SUFFIXES = ("CTR", "FSS")


@dataclass(frozen=True, slots=True)
class ControllerOnline:
    callsign: str
    frequency: str | None
    facility: int
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class SectorHour:
    date: date
    hour: int
    sector: str
    aircraft: int
    entries: int
    aircraft_minutes: float
    peak_aircraft: int
    peak_at: datetime | None
    staffed_minutes: float
    unstaffed_aircraft_minutes: float


def position_callsign(callsign: str) -> str:
    """'SY_1_APP' -> 'SY_APP': the position without a relief number."""
    parts = callsign.upper().split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 2 else callsign.upper()


def _area(callsign: str) -> str:
    return callsign.upper().split("_", 1)[0].split("-", 1)[0]


def _frequency(value: str | None) -> str | None:
    try:
        return f"{float(value):.3f}" if value else None
    except ValueError:
        return None


def sectors_staffed_by(controller: ControllerOnline, airspace: Airspace) -> set[str]:
    """The sectors this controller's position covers: its own, and those it is responsible for."""
    if controller.facility <= 0:
        return set()
    own = set()
    callsign = position_callsign(controller.callsign)
    frequency = _frequency(controller.frequency)
    for sector in airspace.sectors.values():
        if sector.callsign is not None:
            if callsign == position_callsign(sector.callsign) or (
                frequency is not None and frequency == sector.frequency and _area(callsign) == _area(sector.callsign)
            ):
                own.add(sector.name)
        elif _area(callsign) == sector.name.upper() and callsign.rsplit("_", 1)[-1] in _FIR_SUFFIXES:
            own.add(sector.name)
    covered = set(own)
    frontier = list(own)
    while frontier:
        for below in airspace.sectors[frontier.pop()].responsible_sectors:
            if below not in covered:
                covered.add(below)
                frontier.append(below)
    return covered


def _overlap_s(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> float:
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())


def sector_hours(
    stays: Sequence[Stay], controllers: Iterable[ControllerOnline], airspace: Airspace, *, day_start: datetime
) -> list[SectorHour]:
    """One row per sector and hour of the UTC day starting at `day_start` in which the sector held
    an aircraft or was staffed. `stays` are the day's (cut at midnight)."""
    staffed: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    day_end = day_start + timedelta(days=1)
    for controller in controllers:
        start, end = max(controller.start, day_start), min(controller.end, day_end)
        if end <= start:
            continue
        for sector in sectors_staffed_by(controller, airspace):
            staffed[sector].append((start, end))
    staffed_merged = {sector: merge_intervals(intervals) for sector, intervals in staffed.items()}
    by_sector: dict[str, list[Stay]] = defaultdict(list)
    for stay in stays:
        by_sector[stay.sector].append(stay)

    rows: list[SectorHour] = []
    for sector in sorted(set(by_sector) | set(staffed_merged)):
        sector_stays = by_sector.get(sector, [])
        covered = staffed_merged.get(sector, [])
        # Concurrency sweep: exits before entries at the same instant (a handover is not two aircraft).
        events = sorted([(s.entered_at, 1) for s in sector_stays] + [(s.exited_at, -1) for s in sector_stays],
                        key=lambda e: (e[0], e[1]))
        cursor, count = 0, 0
        for hour in range(24):
            h_start = day_start + hour * _HOUR
            h_end = h_start + _HOUR
            while cursor < len(events) and events[cursor][0] <= h_start and not (
                    events[cursor][0] == h_start and events[cursor][1] == 1):
                count += events[cursor][1]
                cursor += 1
            peak, peak_at = count, (h_start if count > 0 else None)
            while cursor < len(events) and events[cursor][0] < h_end:
                at, change = events[cursor]
                count += change
                cursor += 1
                if count > peak:
                    peak, peak_at = count, at
            in_hour = [s for s in sector_stays if s.entered_at < h_end and s.exited_at > h_start
                       or (s.entered_at == s.exited_at and h_start <= s.entered_at < h_end)]
            staffed_s = sum(_overlap_s(a, b, h_start, h_end) for a, b in covered)
            if not in_hour and staffed_s == 0:
                continue
            aircraft_s = unstaffed_s = 0.0
            for stay in in_hour:
                inside = _overlap_s(stay.entered_at, stay.exited_at, h_start, h_end)
                watched = sum(_overlap_s(stay.entered_at, stay.exited_at, max(a, h_start), min(b, h_end))
                              for a, b in covered if a < h_end and b > h_start)
                aircraft_s += inside
                unstaffed_s += inside - watched
            rows.append(SectorHour(
                date=day_start.date(), hour=hour, sector=sector,
                aircraft=len({(s.cid, s.callsign) for s in in_hour}),
                entries=sum(1 for s in in_hour if s.entry == "boundary" and h_start <= s.entered_at < h_end),
                aircraft_minutes=round(aircraft_s / 60, 2), peak_aircraft=peak, peak_at=peak_at if peak else None,
                staffed_minutes=round(staffed_s / 60, 2), unstaffed_aircraft_minutes=round(max(unstaffed_s, 0.0) / 60, 2),
            ))
    return rows
