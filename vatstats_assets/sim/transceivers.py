"""Building the transceivers feed (`/v3/transceivers-data.json`) entries with the real feed's keys and types.

One entry per connected callsign: `{"callsign": ..., "transceivers": [{"id", "frequency" (Hz, integer),
"latDeg", "lonDeg", "heightMslM", "heightAglM"}, ...]}`. A pilot's COM1 (and COM2 when it has one)
stand at the aircraft; a controller's or an ATIS's at its sites. Observers are listed with no
transceivers, as clients connected without a radio are.
"""

from __future__ import annotations

from vatstats_assets.sim.controllers import ControllerConnection

_FT_TO_M = 0.3048
_ANTENNA_ON_GROUND_M = 1.5  # a parked or taxiing aircraft's antenna above the ground


def pilot_entry(callsign: str, state: tuple[float, float, float, float, float, bool], com1_hz: int,
                com2_hz: int) -> dict[str, object]:
    """`state` is the trajectory's (latitude, longitude, altitude_ft, groundspeed, heading, on_ground)."""
    latitude, longitude, altitude_ft, _, _, on_ground = state
    msl = round(altitude_ft * _FT_TO_M, 1)
    # No terrain model: the ground is where the aircraft stands; in the air AGL is reported as MSL.
    agl = _ANTENNA_ON_GROUND_M if on_ground else msl
    radios = [com1_hz] + ([com2_hz] if com2_hz else [])
    return {
        "callsign": callsign,
        "transceivers": [
            {"id": number, "frequency": frequency, "latDeg": round(latitude, 6), "lonDeg": round(longitude, 6),
             "heightMslM": msl, "heightAglM": agl}
            for number, frequency in enumerate(radios)
        ],
    }


def controller_entry(connection: ControllerConnection) -> dict[str, object]:
    return {
        "callsign": connection.callsign,
        "transceivers": [
            {"id": number, "frequency": site.frequency_hz, "latDeg": site.latitude, "lonDeg": site.longitude,
             "heightMslM": site.height_msl_m, "heightAglM": site.height_agl_m}
            for number, site in enumerate(connection.sites)
        ],
    }
