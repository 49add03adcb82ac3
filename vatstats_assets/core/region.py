"""Which traffic belongs to a region. The VATPAC region is defined here and only here.

`vatpac` (the default) is Australia and the Pacific islands around it:
- a pilot belongs when it is inside the region's box, or its filed departure or arrival is a
  region airport;
- a controller belongs when its callsign starts with a region ICAO prefix (YSSY_TWR, NZAA_GND,
  NFFN_APP) or one of VATPAC's two-letter sector/terminal prefixes (ML-SNO_CTR, BN_APP, SY_TWR).
`global` keeps everything.
"""

from __future__ import annotations

from dataclasses import dataclass

# ICAO location-indicator prefixes of Australia (Y) and the Pacific states around it:
# New Zealand (NZ), Fiji/Tonga (NF), Vanuatu (NV), New Caledonia/Wallis (NW), Samoa (NS),
# Cook Islands (NC), French Polynesia (NT), Niue (NI), Kiribati/Tuvalu (NG), Papua New Guinea (AY),
# Solomon Islands (AG), Nauru (AN).
VATPAC_ICAO_PREFIXES: tuple[str, ...] = ("Y", "NZ", "NF", "NV", "NW", "NS", "NC", "NT", "NI", "NG", "AY", "AG", "AN")

# VATPAC controllers also log on with two-letter area codes (Melbourne Centre is ML-..., Sydney
# approach SY_APP); these are the ones in VATPAC's sector files.
VATPAC_CONTROLLER_PREFIXES: tuple[str, ...] = (
    "AD", "AS", "BN", "CB", "CS", "DN", "EN", "ES", "HB", "KA", "ML", "OK", "PH", "RK", "SY", "TL", "TN", "WLM",
)

# The box: from the Indian Ocean west of Perth (100 E) across the antimeridian to French Polynesia
# (135 W), and from the equator to Antarctica.
VATPAC_SOUTH, VATPAC_NORTH = -60.0, 2.0
VATPAC_WEST, VATPAC_EAST = 100.0, -135.0


@dataclass(frozen=True)
class Region:
    name: str

    @property
    def is_global(self) -> bool:
        return self.name == "global"

    def contains_position(self, latitude: float, longitude: float) -> bool:
        if self.is_global:
            return True
        in_band = VATPAC_SOUTH <= latitude <= VATPAC_NORTH
        # The box crosses the antimeridian: east of 100 E, or west of 135 W.
        return in_band and (longitude >= VATPAC_WEST or longitude <= VATPAC_EAST)

    def contains_airport(self, icao: str | None) -> bool:
        if self.is_global:
            return True
        return icao is not None and icao.upper().startswith(VATPAC_ICAO_PREFIXES)

    def contains_pilot(self, latitude: float, longitude: float, departure: str | None, arrival: str | None) -> bool:
        return (
            self.contains_position(latitude, longitude)
            or self.contains_airport(departure)
            or self.contains_airport(arrival)
        )

    def contains_controller(self, callsign: str) -> bool:
        if self.is_global:
            return True
        upper = callsign.upper()
        head = upper.split("_", 1)[0].split("-", 1)[0]
        is_icao_station = len(head) == 4 and head.startswith(VATPAC_ICAO_PREFIXES)
        return is_icao_station or head in VATPAC_CONTROLLER_PREFIXES


def region(name: str) -> Region:
    if name not in ("vatpac", "global"):
        raise ValueError(f"unknown region {name!r}; choose vatpac or global")
    return Region(name)
