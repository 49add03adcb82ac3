"""Every rule of ATC coverage, in one place, each with the reason for its value (pure: no I/O).

A *contact* is an interval during which a flight connection and a controller connection were on the
same radio channel, at the same time, with the aircraft within the station's range. Everything
downstream (atc_contacts, the coverage columns of the summaries, coverage_hourly) and the
simulator's ground truth apply these same functions, so the flight side and the controller side
cannot disagree and the truth is measured against the rule the warehouse states.

Frequencies arrive in Hz, as integers, from the transceivers feed (`frequency`: 124500000) and in
kHz from the data feed (`frequency`: "124.500"). Channels are compared by `channel_hz`, never by
float equality.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- channels -------------------------------------------------------------------------------------

BLOCK_HZ = 25_000
"""Airband channels sit on a 25 kHz raster; Europe's 8.33 kHz channels split each block in three."""

SPACING_833_HZ = BLOCK_HZ / 3
"""8.33 kHz spacing: the carriers of a 25 kHz block are at +0, +8,333.3 and +16,666.7 Hz."""

# 8.33 kHz channels are *named* on a 5 kHz raster that differs from their carrier: in the block
# starting at 118.000 MHz, "118.005" is the carrier 118.000, "118.010" is 118.00833 and "118.015"
# is 118.01667 (ICAO Annex 10 vol. V, 4.1.2.2.2). A pilot client may report either the name or the
# carrier, so a frequency on the 5 kHz raster is read as a name, anything else as a carrier.
_NAME_OFFSET_TO_CARRIER_STEP = {0: 0, 5_000: 0, 10_000: 1, 15_000: 2}

AIRBAND_LOW_HZ = 118_000_000
AIRBAND_HIGH_HZ = 137_000_000
"""VHF air traffic control channels lie in 118.000-136.990 MHz. Anything else is not a channel a
controller can be reached on: 199.998 MHz is what VATSIM clients report when nothing is tuned
(observers, a controller without a primary frequency)."""

UNICOM_HZ = 122_800_000
"""UNICOM, the pilot-to-pilot advisory frequency: nobody controls it."""

GUARD_HZ = 121_500_000
"""121.5 MHz, the emergency frequency every station may monitor: being on it is no ATC service."""

EXCLUDED_CHANNELS_HZ = frozenset({UNICOM_HZ, GUARD_HZ})


def channel_hz(frequency_hz: int) -> int:
    """The channel a frequency (in Hz) is on, as its carrier in whole Hz on the 8.33 kHz raster.

    Two frequencies are the same channel exactly when their channel_hz are equal: 118.005 MHz
    (a name) and 118000000 Hz (its carrier) give 118000000; 118.010 and 118008333 give 118008333;
    124.500 MHz gives 124500000. Off-raster values (a client's rounding, 118008000) go to the nearest
    carrier, which is within 4,166 Hz: half the 8.33 kHz spacing.
    """
    block = frequency_hz - frequency_hz % BLOCK_HZ
    offset = frequency_hz - block
    step = _NAME_OFFSET_TO_CARRIER_STEP.get(offset)
    if step is None:
        step = round(offset / SPACING_833_HZ)
    return block + round(step * SPACING_833_HZ)


def khz_to_hz(frequency_khz: int) -> int:
    """The data feed's kHz (atc_positions.frequency_khz) in Hz."""
    return frequency_khz * 1000


def is_controllable_channel(channel: int) -> bool:
    """Could a controller be reached on this channel? Airband, and not UNICOM or guard."""
    return AIRBAND_LOW_HZ <= channel < AIRBAND_HIGH_HZ and channel not in EXCLUDED_CHANNELS_HZ


# --- who counts as a controller -------------------------------------------------------------------

FACILITY_OBSERVER = 0
FACILITY_NAMES = {1: "fss", 2: "delivery", 3: "ground", 4: "tower", 5: "approach", 6: "centre"}
"""VATSIM's facility codes (data feed `facility`). 0 is an observer, who controls nothing; ATIS
connections are not controllers either (they transmit, nobody talks back) and are told apart by
the data feed's `atis` list (atc_positions.is_atis), not by a callsign suffix."""


def provides_service(facility: int, is_atis: bool) -> bool:
    """Can a pilot be in contact with this connection? Not an observer, not an ATIS."""
    return not is_atis and facility in FACILITY_NAMES


# --- range ----------------------------------------------------------------------------------------

DEFAULT_RANGE_NM = {1: 1500.0, 2: 20.0, 3: 20.0, 4: 50.0, 5: 150.0, 6: 600.0}
"""Range by facility when the feed gives no visual_range (0 or missing): the visibility ranges
VATSIM's controller clients set by default for each facility type (delivery and ground 20 nm,
tower 50, approach 150, centre 600, flight service 1,500)."""

MAX_RANGE_NM = 2000.0
"""A visual_range above this is a typo or a test value; it is capped, not trusted."""


def station_range_nm(facility: int, visual_range: int | None) -> float:
    """How far from any of its transceivers a station can be heard, in nm.

    The feed's visual_range is what the controller set; it is the station's range. A missing or
    zero value falls back to the facility's default.
    """
    if visual_range is not None and visual_range > 0:
        return min(float(visual_range), MAX_RANGE_NM)
    return DEFAULT_RANGE_NM.get(facility, 0.0)


# --- time -----------------------------------------------------------------------------------------

SNAPSHOT_INTERVAL_S = 15.0
"""The feed's cadence. A condition seen in consecutive snapshots t1..tn held, as far as anyone can
tell, from half an interval before t1 to half an interval after tn: each snapshot stands for the
15 s around it, so a contact's duration is off by at most one interval, never biased short."""

HALF_INTERVAL_S = SNAPSHOT_INTERVAL_S / 2

RUN_GAP_S = 60.0
"""Tuning runs: a connection's tuning seen again within this long after it was last seen, with no
transceivers snapshot in between showing otherwise, continues the same run. A missing or late
transceivers feed for up to three ticks therefore does not cut a run (nor invent a retune)."""


@dataclass(frozen=True, slots=True)
class ContactRules:
    """The thresholds a contact is built with, as one value (tests vary them)."""

    half_interval_s: float = HALF_INTERVAL_S
    max_range_nm: float = MAX_RANGE_NM


DEFAULT_CONTACT_RULES = ContactRules()
