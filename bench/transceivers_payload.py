"""A transceivers feed for a simulated snapshot, shaped like VATSIM's, for the ingest benchmark.

The simulator's own transceivers feed is another piece of work; until it lands, the benchmark makes
one from the snapshot it ingests: every pilot one or two radios (COM1 on an ATC or UNICOM
frequency, COM2, for half of them, on guard) at its own position, every controller one to four
sites on its primary frequency, every ATIS one. Each connection's choices follow from its
callsign, so consecutive snapshots keep their tuning (runs extend) except that a pilot retunes
COM1 every ten minutes, staggered by callsign: about 1 in 40 pilots a tick, as in busy airspace.
"""

from __future__ import annotations

import zlib
from typing import Any

import orjson

from vatstats_assets.core.feed_values import parse_feed_timestamp

# Common VHF ATC frequencies (Hz): 25 kHz channels, 8.33 kHz channels as their carriers, UNICOM.
_FREQUENCIES_HZ = (
    118_700_000, 119_100_000, 120_500_000, 121_700_000, 122_800_000, 123_800_000, 124_500_000,
    124_650_000, 125_800_000, 126_100_000, 127_200_000, 128_400_000, 132_600_000, 133_800_000,
    118_008_333, 121_016_667, 127_875_000, 129_425_000, 134_108_333, 135_700_000,
)
_GUARD_HZ = 121_500_000
_RETUNE_EVERY_S = 600
_FEET_TO_METRES = 0.3048


def _hash(callsign: str) -> int:
    return zlib.crc32(callsign.encode())


def _radio(index: int, frequency: int, latitude: float, longitude: float, height_m: float) -> dict[str, Any]:
    return {"id": index, "frequency": frequency, "latDeg": latitude, "lonDeg": longitude,
            "heightMslM": height_m, "heightAglM": height_m}


def _pilot(pilot: dict[str, Any], epoch_s: float) -> dict[str, Any]:
    h = _hash(pilot["callsign"])
    tuned = _FREQUENCIES_HZ[(h + int((epoch_s + h % _RETUNE_EVERY_S) // _RETUNE_EVERY_S)) % len(_FREQUENCIES_HZ)]
    height = pilot["altitude"] * _FEET_TO_METRES
    radios = [_radio(0, tuned, pilot["latitude"], pilot["longitude"], height)]
    if h % 2:
        radios.append(_radio(1, _GUARD_HZ, pilot["latitude"], pilot["longitude"], height))
    return {"callsign": pilot["callsign"], "transceivers": radios}


def _station(controller: dict[str, Any], sites: int) -> dict[str, Any]:
    h = _hash(controller["callsign"])
    try:
        frequency = round(float(controller.get("frequency") or "199.998") * 1_000_000)
    except ValueError:
        frequency = 199_998_000
    # The simulated controllers carry no position: a fixed point per callsign, sites spread from it.
    latitude, longitude = -45.0 + (h % 10_000) / 100.0, -180.0 + (h // 10_000 % 36_000) / 100.0
    radios = [_radio(k, frequency, round(latitude + 0.5 * k, 4), round(longitude + 0.7 * k, 4), 30.0 + k)
              for k in range(sites)]
    return {"callsign": controller["callsign"], "transceivers": radios}


def transceivers_for(snapshot: dict[str, Any]) -> bytes:
    """The transceivers feed beside this snapshot document (the decoded data feed)."""
    epoch_s = parse_feed_timestamp(snapshot["general"]["update_timestamp"]).timestamp()
    entries = [_pilot(p, epoch_s) for p in snapshot.get("pilots", [])]
    entries += [_station(c, 1 + _hash(c["callsign"]) % 4) for c in snapshot.get("controllers", [])]
    entries += [_station(a, 1) for a in snapshot.get("atis", [])]
    return orjson.dumps(entries)
