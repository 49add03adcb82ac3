"""How simulated aircraft move: the physics a movement detector will have to read back."""

from __future__ import annotations

import random

import pytest

from vatstats_assets.sim.planning import PilotPlanner, PlannedFlight
from vatstats_assets.sim.sphere import distance_nm
from vatstats_assets.sim.world import default_world

WORLD = default_world()
PLANNER = PilotPlanner(WORLD)


def _airport(icao: str):
    airport = WORLD.airport(icao)
    assert airport is not None
    return airport


def _jet_flight(origin: str, seed: int = 1, **forced: bool) -> PlannedFlight:
    rng = random.Random(seed)
    for _ in range(50):
        plan = PLANNER.airline(rng, _airport(origin), **forced)
        if plan.aircraft.performance == "jet":
            return plan
    raise AssertionError("no jet flight drawn")


def _samples(plan: PlannedFlight, start: float, end: float, step: float = 1.0):
    t = start
    while t <= end:
        yield t, plan.trajectory.state(t)
        t += step


def test_takeoff_roll_accelerates_past_60_kt_and_lifts_off_at_140_to_160_kt() -> None:
    plan = _jet_flight("YSSY")
    liftoff, airport = plan.timeline.departures[0]
    assert airport == "YSSY"
    roll = [state for _, state in _samples(plan, liftoff - 40, liftoff - 0.5)]
    assert all(state.on_ground for state in roll)
    speeds = [state.groundspeed_kt for state in roll]
    assert speeds == sorted(speeds) and speeds[0] < 60 < speeds[-1]
    at_liftoff = plan.trajectory.state(liftoff)
    assert 140 <= at_liftoff.groundspeed_kt <= 160
    assert not plan.trajectory.state(liftoff + 1).on_ground


def test_taxiing_is_between_10_and_25_kt_at_field_elevation() -> None:
    plan = _jet_flight("YSCB")  # Canberra, 1,886 ft: a ground altitude of 0 would show
    liftoff = plan.timeline.departures[0][0]
    ground = [state for _, state in _samples(plan, 0, liftoff - 60, step=5)]
    moving = [s.groundspeed_kt for s in ground if s.groundspeed_kt > 1]
    assert moving and max(moving) <= 25
    assert {round(s.altitude_ft) for s in ground} == {_airport("YSCB").elevation_ft}


def test_cruise_is_level_at_the_planned_altitude_and_fast() -> None:
    plan = _jet_flight("EGLL")
    cruise_from, cruise_to = plan.timeline.cruise or (0.0, 0.0)
    middle = plan.trajectory.state((cruise_from + cruise_to) / 2)
    assert plan.plan_details is None or middle.altitude_ft == plan.plan_details["altitude_ft"]
    assert middle.altitude_ft >= 10000 and middle.groundspeed_kt > 380


def test_flight_path_follows_the_great_circle_between_the_airports() -> None:
    plan = _jet_flight("KJFK", divert=False, go_around=False)
    liftoff = plan.timeline.departures[0][0]
    touchdown, arrival = plan.timeline.arrivals[-1]
    origin, destination = _airport("KJFK"), WORLD.airport(arrival)
    assert destination is not None
    flown = 0.0
    previous = plan.trajectory.state(liftoff)
    for _, state in _samples(plan, liftoff + 60, touchdown, step=60):
        flown += distance_nm(previous.latitude, previous.longitude, state.latitude, state.longitude)
        previous = state
    direct = distance_nm(origin.latitude, origin.longitude, destination.latitude, destination.longitude)
    # Straight-in approach and climb-out add a few tens of miles, never a detour.
    assert direct - 5 <= flown <= direct * 1.03 + 40


def test_touchdown_is_on_the_runway_at_field_elevation() -> None:
    plan = _jet_flight("YMML")
    touchdown, arrival = plan.timeline.arrivals[-1]
    airport = WORLD.airport(arrival)
    assert airport is not None
    state = plan.trajectory.state(touchdown + 1)
    assert state.on_ground and round(state.altitude_ft) == airport.elevation_ft
    assert distance_nm(state.latitude, state.longitude, airport.latitude, airport.longitude) < 2.0
    assert 100 <= plan.trajectory.state(touchdown).groundspeed_kt <= 150


def test_go_around_comes_no_lower_than_150_ft_and_lands_once() -> None:
    plan = _jet_flight("YBBN", go_around=True, divert=False)
    assert len(plan.timeline.arrivals) == 1
    liftoff = plan.timeline.departures[0][0]
    touchdown, arrival = plan.timeline.arrivals[0]
    elevation = _airport(arrival).elevation_ft
    assert not any(state.on_ground for _, state in _samples(plan, liftoff + 1, touchdown - 1))
    # From the top of descent to the final approach (the last 90 s), the lowest point is the missed approach.
    descent_from = plan.timeline.cruise[1] if plan.timeline.cruise else liftoff + 600
    heights = [s.altitude_ft - elevation for _, s in _samples(plan, descent_from, touchdown - 90)]
    assert min(heights) >= 150 and min(heights) < 1000


def test_diversion_lands_at_another_airport_than_filed() -> None:
    plan = _jet_flight("EDDF", divert=True, go_around=False)
    touchdown, arrival = plan.timeline.arrivals[-1]
    assert plan.filed_arrival is not None and arrival != plan.filed_arrival
    airport = WORLD.airport(arrival)
    state = plan.trajectory.state(touchdown + 1)
    assert airport is None or distance_nm(state.latitude, state.longitude, airport.latitude, airport.longitude) < 2.0


def test_circuits_alternate_touchdowns_and_liftoffs_at_one_field() -> None:
    plan = PLANNER.circuits(random.Random(4), _airport("YSBK"))
    departures, arrivals = plan.timeline.departures, plan.timeline.arrivals
    assert len(departures) == len(arrivals) >= 3
    assert {icao for _, icao in departures + arrivals} == {"YSBK"}
    events = sorted([(t, "departure") for t, _ in departures] + [(t, "arrival") for t, _ in arrivals])
    assert [kind for _, kind in events] == ["departure", "arrival"] * len(arrivals)


def test_touch_and_go_stays_on_the_ground_long_enough_for_a_15_second_feed_to_see_it() -> None:
    plan = PLANNER.circuits(random.Random(5), _airport("YMMB"))
    for (touchdown, _), (liftoff, _) in zip(plan.timeline.arrivals, plan.timeline.departures[1:], strict=False):
        assert liftoff - touchdown >= 15.0
        assert plan.trajectory.state((touchdown + liftoff) / 2).on_ground


@pytest.mark.parametrize("seed", [1, 2])
def test_parked_aircraft_never_move(seed: int) -> None:
    plan = PLANNER.parked(random.Random(seed), _airport("NZAA"))
    states = {(s.latitude, s.longitude, s.altitude_ft, s.groundspeed_kt) for _, s in _samples(plan, 0, plan.end, 60)}
    assert len(states) == 1 and not plan.timeline.departures
