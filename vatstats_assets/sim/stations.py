"""Where simulated controllers are and what they transmit on: homes, frequencies, transceiver sites.

A position's *home* is the point its responsibility is measured from (its airport, or a centre's
middle); its *sites* are where its radio transceivers stand, drawn per connection (a controller
picks its transceivers when it logs on). Frequencies carry the cases a coverage rule has to get
right: European positions partly on 8.33 kHz channels (the data feed shows the channel's *name*,
the transceivers its *carrier*), one frequency in use at two places half a world apart, and
centres that also transmit on a secondary frequency the data feed does not show.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass

from vatstats_assets.core.coverage_rules import channel_hz
from vatstats_assets.sim.sphere import destination

Home = tuple[float, float, float]  # latitude, longitude, elevation in ft

# Rough middles of the simulated centre and oceanic (FSS) positions: geography, not sector files.
CENTRE_HOMES: dict[str, tuple[float, float]] = {
    "ML-SNO_CTR": (-36.0, 148.5), "ML-ELW_CTR": (-37.2, 145.9), "ML-ASP_CTR": (-23.7, 133.9),
    "ML-TBD_CTR": (-35.3, 139.5), "ML-HUO_CTR": (-42.9, 147.3), "ML-BIK_CTR": (-34.2, 150.1),
    "BN-ISA_CTR": (-20.7, 139.5), "BN-KEN_CTR": (-24.0, 149.0), "BN-TRT_CTR": (-14.5, 132.3),
    "BN-INL_CTR": (-26.0, 145.0), "NZZC_CTR": (-40.5, 175.5), "NZCM_CTR": (-43.5, 172.5),
    "NFFF_CTR": (-17.75, 177.4), "AYPM_CTR": (-9.4, 147.2), "EGTT_CTR": (52.0, -1.0),
    "LON_S_CTR": (51.0, -0.5), "LON_C_CTR": (52.5, -1.5), "EDGG_CTR": (50.0, 8.5), "EDMM_CTR": (48.5, 11.5),
    "EHAA_CTR": (52.3, 5.0), "LFFF_CTR": (48.5, 2.5), "LECM_CTR": (40.4, -3.7), "LIRR_CTR": (41.9, 12.5),
    "LSAS_CTR": (46.8, 8.2), "LOVV_CTR": (47.8, 14.5), "EKDK_CTR": (55.6, 12.0), "EISN_CTR": (53.4, -7.5),
    "OMAE_CTR": (24.4, 54.6), "VHHK_CTR": (22.3, 114.2), "WSJC_CTR": (1.35, 103.9), "VTBB_CTR": (13.7, 100.6),
    "NY_CTR": (40.8, -73.5), "BOS_CTR": (42.4, -71.5), "LAX_CTR": (34.0, -118.0), "OAK_CTR": (37.7, -122.0),
    "CHI_CTR": (41.9, -87.9), "ATL_CTR": (33.6, -84.4), "FTW_CTR": (32.8, -97.0), "DEN_CTR": (39.8, -104.7),
    "SEA_CTR": (47.4, -122.3), "MIA_CTR": (25.8, -80.3), "TOR_CTR": (43.7, -79.6), "VAN_CTR": (49.2, -123.2),
    "HCF_CTR": (21.3, -157.9),
    "NZZO_FSS": (-25.0, -175.0), "BN-TSN_FSS": (-38.0, 160.0), "EGGX_FSS": (55.0, -25.0),
    "CZQX_FSS": (50.0, -40.0), "KZAK_FSS": (30.0, -150.0), "ML-IND_FSS": (-25.0, 90.0),
}

# The same frequency at two places 9,000 nm apart: London Heathrow tower on Sydney tower's channel.
# A pilot near Sydney on it is in contact with Sydney only; range, not the channel, tells them apart.
SHARED_FREQUENCY_OF = {"EGLL_TWR": "SY_TWR"}

# Europe (where 8.33 kHz channels are in use), as a box around the continent.
_EUROPE = (35.0, 72.0, -25.0, 45.0)  # south, north, west, east


def _in_europe(home: Home) -> bool:
    south, north, west, east = _EUROPE
    return south <= home[0] <= north and west <= home[1] <= east


def _channel_khz(callsign: str, first_khz: int, steps: int) -> int:
    return first_khz + 25 * (zlib.crc32(callsign.encode()) % steps)


def frequency_text(khz: int) -> str:
    """kHz as the data feed prints a frequency in MHz: 118700 -> '118.700'."""
    return f"{khz // 1000}.{khz % 1000:03d}"


def station_frequency_khz(callsign: str, band: tuple[int, int], home: Home | None) -> int:
    """The frequency a position works on, in kHz, as the data feed shows it (an 8.33 channel by its name).

    About half of the European positions are on 8.33 kHz channels: one of the three channels of the
    25 kHz block the position would otherwise use, named block + 5, + 10 or + 15 kHz.
    """
    shared = SHARED_FREQUENCY_OF.get(callsign)
    if shared is not None:
        return _channel_khz(shared, *band)
    khz = _channel_khz(callsign, *band)
    if home is not None and _in_europe(home):
        roll = zlib.crc32(f"{callsign}/8.33".encode())
        if roll % 2 == 0:
            khz += 5 * (1 + roll // 2 % 3)
    return khz


@dataclass(frozen=True, slots=True)
class Site:
    """One transceiver of a controller or ATIS connection."""

    frequency_hz: int  # the carrier, as the transceivers feed reports it
    latitude: float
    longitude: float
    height_msl_m: float
    height_agl_m: float


# How far from home a position's transceivers stand (nm), and how many it has, by facility:
# airport positions one antenna on the field; approach a few around the terminal area; centres and
# oceanic positions a handful across their airspace.
_SITE_SPREAD_NM = {2: 0.5, 3: 0.5, 4: 0.5, 5: 25.0, 6: 200.0, 1: 500.0}
_SITE_COUNT = {2: (1, 1), 3: (1, 1), 4: (1, 1), 5: (1, 3), 6: (2, 4), 1: (2, 3)}
SECONDARY_FREQUENCY_SHARE = 0.35  # of centre connections: also transmitting on a second sector's frequency
_CENTRE_BAND = (118000, 760)


def _site(rng: random.Random, home: Home, frequency_hz: int, spread_nm: float) -> Site:
    latitude, longitude = destination(home[0], home[1], rng.uniform(0.0, 360.0), spread_nm * math.sqrt(rng.random()))
    agl = round(rng.uniform(8.0, 40.0), 1)
    return Site(frequency_hz, round(latitude, 6), round(longitude, 6), round(home[2] * 0.3048 + agl, 1), agl)


def draw_sites(callsign: str, cid: int, logon: float, facility: int, frequency_khz: int, home: Home,
               *, atis: bool) -> tuple[Site, ...]:
    """The transceivers of one connection, drawn from its own stream (the traffic's streams untouched)."""
    rng = random.Random(f"sites/{callsign}/{cid}/{logon!r}")
    carrier = channel_hz(frequency_khz * 1000)
    if atis:
        return (_site(rng, home, carrier, 0.3),)
    low, high = _SITE_COUNT[facility]
    sites = [_site(rng, home, carrier, _SITE_SPREAD_NM[facility]) for _ in range(rng.randint(low, high))]
    if facility == 6 and rng.random() < SECONDARY_FREQUENCY_SHARE:
        secondary = channel_hz(_channel_khz(f"{callsign}/secondary", *_CENTRE_BAND) * 1000)
        if secondary != carrier:
            sites += [_site(rng, home, secondary, _SITE_SPREAD_NM[facility]) for _ in range(rng.randint(1, 2))]
    return tuple(sites)
