"""The simulated network as a whole: determinism, scale and the traffic mix."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import orjson

from vatstats_assets.sim import GroundTruth, Simulation, generate_snapshots
from vatstats_assets.sim.planning import PilotPlanner
from vatstats_assets.sim.sphere import distance_nm
from vatstats_assets.sim.traffic import PilotSession
from vatstats_assets.sim.world import default_world
from vatstats_tests.sim.simulated_day import DAY_START, SimulatedDay

START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def _bodies(seed: int, ticks: range) -> list[bytes]:
    simulation = Simulation(start=START, pilots=40, seed=seed)
    return [orjson.dumps(simulation.snapshot(simulation.tick(i))) for i in ticks]


def test_same_seed_and_arguments_give_byte_identical_snapshots() -> None:
    assert _bodies(seed=9, ticks=range(0, 400, 40)) == _bodies(seed=9, ticks=range(0, 400, 40))


def test_snapshots_do_not_depend_on_which_earlier_snapshots_were_built() -> None:
    # The HTTP server builds snapshots only when polled; offline builds every one: same bytes.
    every = _bodies(seed=9, ticks=range(0, 400))
    sparse = _bodies(seed=9, ticks=range(0, 400, 40))
    assert every[::40] == sparse


def test_different_seeds_give_different_traffic() -> None:
    assert _bodies(seed=1, ticks=range(1)) != _bodies(seed=2, ticks=range(1))


def test_ten_pilots_means_about_ten_online() -> None:
    counts = [len(snapshot["pilots"]) for _, snapshot in generate_snapshots(START, 2, 10, seed=5)]
    assert 6 <= sum(counts) / len(counts) <= 14


def test_two_thousand_pilots_means_about_two_thousand_online() -> None:
    simulation = Simulation(start=START, pilots=2000, seed=5, controllers=160)
    snapshot = simulation.snapshot(simulation.tick(0))
    assert 1800 <= len(snapshot["pilots"]) <= 2200
    assert 120 <= len(snapshot["controllers"]) <= 200


def test_callsigns_are_unique_in_every_snapshot(simulated_day: SimulatedDay) -> None:
    assert simulated_day.duplicate_callsigns == 0


def test_about_one_pilot_in_ten_has_no_flight_plan(simulated_day: SimulatedDay) -> None:
    share = simulated_day.pilots_without_flight_plan / sum(simulated_day.pilots_per_snapshot)
    assert 0.04 <= share <= 0.2


def test_some_pilots_are_already_airborne_when_the_simulation_starts(simulated_day: SimulatedDay) -> None:
    cruising = [p for p in simulated_day.first_snapshot["pilots"] if p["altitude"] > 20000]
    assert len(cruising) >= 10


def test_some_flights_are_still_airborne_at_the_end(simulated_day: SimulatedDay) -> None:
    assert any(p["groundspeed"] > 200 for p in simulated_day.last_snapshot["pilots"])


def test_some_flights_cross_midnight(simulated_day: SimulatedDay) -> None:
    midnight = (DAY_START + timedelta(days=1)).replace(hour=0)
    crossing = [f for f in simulated_day.truth.completed_flights if f.takeoff_at < midnight <= f.landing_at]
    assert crossing


def test_a_vatpac_share_of_traffic_connects_in_australia_and_the_pacific() -> None:
    simulation = Simulation(start=START, pilots=600, seed=2)
    plans = [p["flight_plan"] for p in simulation.snapshot(simulation.tick(0))["pilots"] if p["flight_plan"]]
    vatpac = [p for p in plans if p["departure"][:1] in ("Y", "N") or p["departure"][:2] == "AY"]
    assert 0.2 <= len(vatpac) / len(plans) <= 0.55


def test_reconnect_keeps_cid_and_callsign_with_a_new_logon_time_and_the_same_aircraft() -> None:
    world = default_world()
    planner = PilotPlanner(world)
    rng = random.Random(3)
    origin = world.airport("YPPH")
    assert origin is not None
    plan = planner.airline(rng, origin, go_around=False, divert=False, quit_airborne=False)
    assert planner.add_reconnect(rng, plan)
    session = PilotSession(plan, base=START.timestamp(), cid=1234567, callsign="QFA1", registration="VHXZA",
                           server="AUSTRALIA", pilot_rating=0, military_rating=0, qnh_i_hg=29.92)
    first, second = session.connections
    assert 60 <= second.logon - first.logoff <= 180
    assert first.logon_time != second.logon_time
    before = plan.trajectory.state(first.logoff - session.base)
    after = plan.trajectory.state(second.logon - session.base)
    gap_hours = (second.logon - first.logoff) / 3600
    moved = distance_nm(before.latitude, before.longitude, after.latitude, after.longitude)
    assert moved <= before.groundspeed_kt * gap_hours + 0.5
    assert all(not first.logoff <= at < second.logon for at, _, _ in session.movements)


def test_controllers_sometimes_reconnect_within_five_minutes_on_the_same_callsign() -> None:
    simulation = Simulation(start=START, pilots=0, controllers=80, seed=4)
    truth = GroundTruth()
    simulation.finish(START.timestamp() + 12 * 3600, truth)
    sessions = sorted(truth.controller_sessions, key=lambda s: (s.callsign, s.logon_time))
    quick = [
        (a, b) for a, b in pairwise(sessions)
        if a.callsign == b.callsign and a.cid == b.cid and 0 < (b.logon_time - a.end).total_seconds() < 300
    ]
    assert quick and all(a.logon_time != b.logon_time for a, b in quick)
