"""Flight plans as the v3 feed prints them: every field a string except `revision_id`."""

from __future__ import annotations

import random
import time

from vatstats_assets.sim.world import AircraftType

_CONSONANTS = "BCDFGKLMNPRSTVWZ"
_VOWELS = "AEIOU"
_AIRWAY_LETTERS = "QHTYLMNUABGJW"


def hhmm(seconds: float) -> str:
    """A duration or clock time in seconds as the feed's four-digit HHMM (hours wrap at 24)."""
    minutes = int(seconds // 60)
    return f"{minutes // 60 % 24:02d}{minutes % 60:02d}"


def _fix_name(rng: random.Random) -> str:
    # Five-letter pronounceable names, like real waypoints (ETCHY, BINDY, DODEN...).
    return "".join(
        rng.choice(_CONSONANTS) if i in (0, 2, 4) else rng.choice(_VOWELS) for i in range(5)
    )


def route_text(rng: random.Random, distance_nm: float) -> str:
    tokens = [_fix_name(rng)]
    for _ in range(max(1, min(14, int(distance_nm / 180)))):
        airway = f"{rng.choice(_AIRWAY_LETTERS)}{rng.randint(1, 999)}" if rng.random() < 0.7 else "DCT"
        tokens += [airway, _fix_name(rng)]
    return " ".join(tokens)


def cruise_altitude_text(rng: random.Random, altitude_ft: int, rules: str) -> str:
    """Mostly plain feet ("37000") like the real feed, sometimes "FL370" or "VFR" (the parser must cope)."""
    if rules == "V":
        return "VFR" if rng.random() < 0.3 else str(altitude_ft)
    if altitude_ft >= 18000 and rng.random() < 0.08:
        return f"FL{altitude_ft // 100:03d}"
    return str(altitude_ft)


def make_flight_plan(
    rng: random.Random,
    *,
    rules: str,
    aircraft: AircraftType,
    departure: str,
    arrival: str,
    alternate: str,
    cruise_tas_kt: int,
    altitude_ft: int,
    off_block_epoch: float,
    enroute_s: float,
    distance_nm: float,
    registration: str,
    operator: str | None,
) -> dict[str, object]:
    if aircraft.wake in "HJ":
        aircraft_faa = f"{aircraft.wake}/{aircraft.icao}/L"
    elif aircraft.performance == "piston":
        aircraft_faa = f"{aircraft.icao}/G"
    else:
        aircraft_faa = f"{aircraft.icao}/L"
    date_of_flight = time.strftime("%y%m%d", time.gmtime(off_block_epoch))
    if rules == "I":
        remarks = (
            f"PBN/A1B1C1D1O1S1 DOF/{date_of_flight} REG/{registration}"
            + (f" OPR/{operator}" if operator else "")
            + " PER/C RMK/TCAS SIMBRIEF /V/"
        )
        route = route_text(rng, distance_nm)
        # Often "0000" (no code assigned yet), otherwise a squawk: four octal digits.
        squawk = f"{rng.randint(1, 7)}" + "".join(str(rng.randint(0, 7)) for _ in range(3))
        assigned = "0000" if rng.random() < 0.45 else squawk
    else:
        remarks = rng.choice(("VFR TRAINING /V/", "CIRCUITS /V/", "NEW PILOT /V/", f"DOF/{date_of_flight} /V/", " /V/"))
        route = "DCT" if departure != arrival else ""
        assigned = "0000"
    return {
        "flight_rules": rules,
        "aircraft": f"{aircraft.icao}/{aircraft.wake}-{aircraft.equipment}",
        "aircraft_faa": aircraft_faa,
        "aircraft_short": aircraft.icao,
        "departure": departure,
        "arrival": arrival,
        "alternate": alternate,
        "cruise_tas": str(cruise_tas_kt),
        "altitude": cruise_altitude_text(rng, altitude_ft, rules),
        "deptime": hhmm(off_block_epoch % 86400),
        "enroute_time": hhmm(enroute_s),
        "fuel_time": hhmm(enroute_s + rng.randint(45, 120) * 60),
        "remarks": remarks,
        "route": route,
        "revision_id": rng.choice((0, 1, 1, 1, 2, 2, 3, 4)),
        "assigned_transponder": assigned,
    }
