"""The simulated transceivers feed: one entry per connection of the data snapshot of the same tick,
shaped like VATSIM's `/v3/transceivers-data.json`."""

from __future__ import annotations

from vatstats_assets.core.coverage_rules import channel_hz
from vatstats_tests.sim.coverage_sample import CoverageSample

TRANSCEIVER_KEYS = {"id", "frequency", "latDeg", "lonDeg", "heightMslM", "heightAglM"}


def test_every_connection_of_the_tick_has_an_entry_atis_included(coverage_sample: CoverageSample) -> None:
    with_atis = 0
    for data, transceivers in coverage_sample.ticks[::20]:
        connected = data["pilots"] + data["controllers"] + data["atis"]
        assert sorted(e["callsign"] for e in transceivers) == sorted(c["callsign"] for c in connected)
        with_atis += bool(data["atis"])
    assert with_atis


def test_transceivers_have_the_feeds_keys_and_an_integer_frequency_in_hz(coverage_sample: CoverageSample) -> None:
    _, transceivers = coverage_sample.ticks[100]
    for entry in transceivers:
        assert set(entry) == {"callsign", "transceivers"}
        for radio in entry["transceivers"]:
            assert set(radio) == TRANSCEIVER_KEYS
            assert isinstance(radio["frequency"], int) and 118_000_000 <= radio["frequency"] < 137_000_000


def test_pilots_carry_one_or_two_radios_at_their_reported_position(coverage_sample: CoverageSample) -> None:
    data, transceivers = coverage_sample.ticks[200]
    radios = {e["callsign"]: e["transceivers"] for e in transceivers}
    counts = set()
    for pilot in data["pilots"]:
        mine = radios[pilot["callsign"]]
        counts.add(len(mine))
        assert [r["id"] for r in mine] == list(range(len(mine)))
        assert all(abs(r["latDeg"] - pilot["latitude"]) < 1e-4 and abs(r["lonDeg"] - pilot["longitude"]) < 1e-4
                   for r in mine)
    assert counts == {1, 2}


def test_controllers_report_their_visual_range_and_transmit_from_their_sites(coverage_sample: CoverageSample) -> None:
    data, transceivers = coverage_sample.ticks[0]
    radios = {e["callsign"]: e["transceivers"] for e in transceivers}
    for controller in data["controllers"]:
        assert controller["visual_range"] > 0
        if controller["facility"] == 0:
            assert radios[controller["callsign"]] == []  # observers have no radio
    sites = [radios[c["callsign"]] for c in data["controllers"] if c["facility"] == 6]
    assert any(len(s) >= 2 for s in sites)


def test_some_centres_also_transmit_on_a_secondary_frequency(coverage_sample: CoverageSample) -> None:
    secondary = 0
    for data, transceivers in coverage_sample.ticks[::40]:
        radios = {e["callsign"]: e["transceivers"] for e in transceivers}
        for controller in data["controllers"]:
            channels = {channel_hz(r["frequency"]) for r in radios[controller["callsign"]]}
            secondary += len(channels) > 1
    assert secondary


def test_an_833_station_shows_its_name_in_the_data_feed_and_its_carrier_on_the_radio(
    coverage_sample: CoverageSample,
) -> None:
    data, transceivers = coverage_sample.ticks[0]
    radios = {e["callsign"]: e["transceivers"] for e in transceivers}
    on_833 = 0
    for controller in data["controllers"]:
        named_hz = round(float(controller["frequency"]) * 1000) * 1000
        if channel_hz(named_hz) % 25_000:
            on_833 += 1
            assert radios[controller["callsign"]][0]["frequency"] == channel_hz(named_hz) != named_hz
    assert on_833
