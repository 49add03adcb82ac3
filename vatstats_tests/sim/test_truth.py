"""Ground truth agrees with what the feed shows: the yardstick for movement and session detection."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import airportsdata

from vatstats_assets.sim import GroundTruth
from vatstats_assets.sim.sphere import distance_nm
from vatstats_assets.sim.world import default_world, diversion_airports
from vatstats_tests.sim.simulated_day import Sample, SimulatedDay, connection_key

AIRPORT_RADIUS_NM = 5.0  # the radius movement detection attributes movements within


def _coordinates(icao: str) -> tuple[float, float]:
    airport = default_world().airport(icao)
    if airport is not None:
        return airport.latitude, airport.longitude
    # Diversion airports come from airportsdata directly.
    record = airportsdata.load("ICAO")[icao]
    return float(record["lat"]), float(record["lon"])


def _first_sample_after(track: list[Sample], at: datetime) -> Sample:
    return next(sample for sample in track if sample.at >= at)


def test_truth_has_departures_arrivals_completed_flights_and_controller_sessions(simulated_day: SimulatedDay) -> None:
    truth = simulated_day.truth
    assert len(truth.departures) > 50 and len(truth.arrivals) > 50
    assert truth.completed_flights and truth.controller_sessions


def test_departures_happen_where_the_aircraft_was(simulated_day: SimulatedDay) -> None:
    checked = 0
    for departure in simulated_day.truth.departures:
        track = simulated_day.tracks[connection_key(departure.cid, departure.callsign, departure.logon_time)]
        if track[-1].at < departure.at:
            continue  # lifted off in the last 15 s of the window
        after = _first_sample_after(track, departure.at)
        lat, lon = _coordinates(departure.airport)
        assert distance_nm(after.latitude, after.longitude, lat, lon) <= AIRPORT_RADIUS_NM
        assert after.groundspeed >= 50
        checked += 1
    assert checked > 50


def test_arrivals_happen_where_the_aircraft_touches_down(simulated_day: SimulatedDay) -> None:
    checked = 0
    for arrival in simulated_day.truth.arrivals:
        track = simulated_day.tracks[connection_key(arrival.cid, arrival.callsign, arrival.logon_time)]
        before = [s for s in track if s.at <= arrival.at]
        if not before:
            continue
        lat, lon = _coordinates(arrival.airport)
        assert distance_nm(before[-1].latitude, before[-1].longitude, lat, lon) <= AIRPORT_RADIUS_NM + 1.5
        checked += 1
    assert checked > 50


def test_every_arrival_follows_a_departure_or_a_flight_already_airborne_at_the_start(
    simulated_day: SimulatedDay,
) -> None:
    truth = simulated_day.truth
    departed: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    for departure in truth.departures:
        departed[(departure.cid, departure.callsign)].append(departure.at)
    first_seen: dict[tuple[int, str], Sample] = {}
    for (cid, callsign, _), track in sorted(simulated_day.tracks.items(), key=lambda item: item[1][0].at):
        first_seen.setdefault((cid, callsign), track[0])
    for arrival in truth.arrivals:
        key = (arrival.cid, arrival.callsign)
        if any(at < arrival.at for at in departed[key]):
            continue
        start = first_seen[key]
        assert start.at == simulated_day.first_update and start.groundspeed > 50, arrival


def test_a_touch_and_go_yields_an_arrival_and_a_departure_at_the_same_field(simulated_day: SimulatedDay) -> None:
    truth = simulated_day.truth
    touch_and_goes = [
        (arrival, departure)
        for arrival in truth.arrivals
        for departure in truth.departures
        if departure.cid == arrival.cid and 0 < (departure.at - arrival.at).total_seconds() < 60
    ]
    assert touch_and_goes
    assert all(a.airport == d.airport and a.callsign == d.callsign for a, d in touch_and_goes)


def test_a_diverted_flight_is_completed_at_the_airport_it_landed(simulated_day: SimulatedDay) -> None:
    completed = simulated_day.truth.completed_flights
    for flight in completed:
        assert flight.diverted == (flight.filed_arrival is not None and flight.filed_arrival != flight.arrival)
        if flight.diverted:
            assert flight.filed_arrival is not None
            assert flight.arrival in {a.icao for a in diversion_airports(flight.filed_arrival)}
    assert all(f.takeoff_at < f.landing_at for f in completed)


def test_only_events_inside_the_simulated_window_are_written(simulated_day: SimulatedDay) -> None:
    truth = simulated_day.truth
    window_start = simulated_day.first_update.replace(microsecond=0)
    window_end = simulated_day.last_update + timedelta(seconds=1)  # truth instants are rounded to the second
    for movement in truth.movements:
        assert window_start <= movement.at <= window_end
    for flight in truth.completed_flights:
        assert window_start <= flight.landing_at <= window_end
    for session in truth.controller_sessions:
        assert window_start <= session.start <= session.end <= window_end


def test_every_controller_connection_in_the_feed_has_a_session_covering_it(simulated_day: SimulatedDay) -> None:
    sessions = {
        connection_key(s.cid, s.callsign, s.logon_time): s for s in simulated_day.truth.controller_sessions
    }
    assert set(simulated_day.controllers_seen) == set(sessions)
    for key, (first, last) in simulated_day.controllers_seen.items():
        session = sessions[key]
        assert session.start <= first.replace(microsecond=0) and last.replace(microsecond=0) <= session.end


def test_ground_truth_file_holds_one_json_event_per_line_and_reads_back(
    tmp_path: Path, simulated_day: SimulatedDay
) -> None:
    source = simulated_day.truth
    path = tmp_path / "truth.jsonl"
    with GroundTruth(path) as written:
        written.record(source.movements[:20] + source.completed_flights[:5] + source.controller_sessions[:5])
    lines = path.read_bytes().splitlines()
    assert len(lines) == 30 and all(line.startswith(b'{"event":') for line in lines)
    loaded = GroundTruth.load(path)
    assert loaded.movements == source.movements[:20]
    assert loaded.completed_flights == source.completed_flights[:5]
    assert loaded.controller_sessions == source.controller_sessions[:5]
