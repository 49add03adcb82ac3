"""Every threshold of movement detection, in one place, each with the reason for its value.

The feed gives, every 15 s, a position, an altitude in feet above mean sea level and a groundspeed
in knots; nothing says "on the ground". Parked and taxiing aircraft read their field's elevation
give or take a few tens of feet (in real snapshots, from 103 ft below to 33 ft above the published
elevation). Detection therefore compares the altitude with the elevation of the airport the
aircraft is at, with a band between "on the ground" and "airborne" (hysteresis) so that noise
around one threshold cannot make an aircraft take off and land again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class MovementRules:
    # --- where a movement is attributed -------------------------------------------------------
    airport_radius_nm: float = 5.0
    """A departure or arrival counts only within this distance of an airport's reference point:
    the longest runways end about 3 nm from it, and 5 nm keeps neighbouring fields apart. Farther
    away (an off-field landing, an unlisted strip) nothing is counted."""

    # --- on the ground ------------------------------------------------------------------------
    ground_max_agl_ft: float = 100.0
    """At most this high above field elevation a sample can be on the ground: ground readings sit
    within a few tens of feet of the elevation, sloped runways add some more, while an aircraft
    on final is above 100 ft until the last 8 s before touchdown."""

    ground_min_agl_ft: float = -250.0
    """At least this high above field elevation (i.e. at most 250 ft below it) a sample can be on
    that field: real readings went 103 ft under; an aircraft farther below its nearest field (a
    hilltop strip above a valley) is flying past it, not standing on it."""

    flare_min_drop_ft: float = 30.0
    """A sample in the ground band whose next sample is lower by more than this was still on short
    final (a 3 degree approach sinks 90 ft in 8 s at 140 kt), so touchdown is put after it. Ground
    readings of one aircraft vary by less than this from one sample to the next."""

    touchdown_max_gs_kt: float = 200.0
    """A sample faster than this is never on the ground: airliners touch down at 130-170 kt over
    the ground even with a tailwind; faster at low height is a low pass."""

    # --- airborne -----------------------------------------------------------------------------
    airborne_min_agl_ft: float = 300.0
    """Clearly airborne above this height: three times the ground band, higher than any
    sloped-runway or sensor error, and reached 10-15 s after lift-off by airliners (so at most
    one 15 s sample later than lift-off itself)."""

    airborne_confirm_samples: int = 2
    """Consecutive samples that must be airborne before a take-off is believed: one sample above
    300 ft is not enough, because a single bad altitude reading must not create a departure and
    an arrival. The time is still put back to lift-off, so confirming costs no accuracy."""

    flying_min_gs_kt: float = 30.0
    """Below this groundspeed only a helicopter flies, and then it climbs: to become airborne the
    aircraft must either move at least this fast or climb (see `climb_min_ft`), so a parked
    aircraft at a field whose published elevation is wrong never "takes off"."""

    climb_min_ft: float = 100.0
    """Climb between the two confirming samples that proves a slow aircraft (a helicopter) is
    really flying; altitude noise on the ground stays well under it."""

    off_field_airborne_min_gs_kt: float = 50.0
    """With no airport within `airport_radius_nm` to give a height, an aircraft this fast is
    flying: faster than any taxi, and there are no runways out there."""

    # --- taxi, stops, blocks ------------------------------------------------------------------
    taxi_max_gs_kt: float = 40.0
    """Taxi speeds stay below 40 kt (fast taxi included). A landing whose roll slows to this speed
    came to a full stop (a touch-and-go never slows below ~50 kt); it ends a completed flight. An
    aircraft on the ground at this speed or slower that reads the elevation of another field has
    been moved there (repositioned), and departs from there."""

    stationary_max_gs_kt: float = 5.0
    """At or below this groundspeed an aircraft is standing still (holding, parked): feed
    groundspeeds of parked aircraft read 0-2 kt. Off-block and on-block times are read from it."""

    # --- reconnects ---------------------------------------------------------------------------
    reconnect_max_gap: timedelta = timedelta(minutes=10)
    """A new connection with the same cid and callsign that logs on within this time after the
    previous connection's last position continues the same flight (client crash, network drop:
    pilots are back within a few minutes)."""

    reconnect_max_overlap: timedelta = timedelta(minutes=2)
    """The feed keeps a dropped connection listed until the server times it out, so the new logon
    may precede the old connection's last position by up to this much."""

    reconnect_slack_nm: float = 3.0
    """Position error allowed between the last position before and the first after a reconnect,
    on top of the distance flown in the gap (`reconnect_speed_factor`)."""

    reconnect_speed_factor: float = 1.5
    """The gap may be flown 50% faster than the last reported groundspeed (tailwind, acceleration
    in the climb) and still count as continuous."""

    # --- day partitions -------------------------------------------------------------------------
    context_before: timedelta = timedelta(hours=3)
    """Track history to load before a day's window, so the state at midnight is known (parked,
    taxiing, in flight) and reconnects across midnight are stitched. One or two samples would do;
    three hours also bridge a gap in the feed around midnight. A flight already airborne for
    longer is simply seen as connected airborne."""

    context_after: timedelta = timedelta(minutes=30)
    """Track history to load after a day's window: a take-off at 23:59:55 is confirmed by samples
    after midnight, and a landing's full stop (which makes a flight "completed") by the roll-out."""

    whole_flight_before: timedelta = timedelta(hours=21)
    """Track history to load before a day's window for the flights completed that day: the whole
    of a flight that lands in the window, from its gate. The longest scheduled flights take about
    19 hours, plus time at the gate and taxiing before take-off."""


DEFAULT_RULES = MovementRules()
