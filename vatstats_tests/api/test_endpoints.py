"""Each endpoint answers rows inserted into a real warehouse, read through the read-only role."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient

from vatstats_assets.storage.tables import (
    ATC_CONTACTS,
    CONTROLLER_SUMMARIES,
    COVERAGE_HOURLY,
    FLIGHT_POSITIONS,
    FLIGHT_SUMMARIES,
    NETWORK_DAILY_STATS,
    SECTOR_HOURLY_LOAD,
    TRAFFIC_MOVEMENTS,
)
from vatstats_tests.api.rows import controller_summary, flight_summary, network_day, position
from vatstats_tests.support.warehouse_rows import (
    add,
    add_controllers,
    add_flights,
    add_movement_summary,
    add_snapshots,
    controller,
    flight,
    movement,
    snapshot,
    utc,
)

PAST_DAY = date(2026, 1, 10)


def now_tick() -> datetime:
    """A recent snapshot time, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)


def test_status_gives_the_same_figures_as_vatstats_status(api: TestClient, engine: sa.Engine) -> None:
    latest = now_tick()
    add_snapshots(engine, [snapshot(latest - timedelta(seconds=15)), snapshot(latest)])
    add_flights(engine, [flight(1, latest - timedelta(hours=1), latest), flight(2, latest - timedelta(hours=1),
                                                                             latest - timedelta(seconds=15))])
    add_controllers(engine, [controller("ML_CTR", 10, latest - timedelta(hours=1), latest),
                             controller("YSSY_ATIS", 11, latest - timedelta(hours=1), latest, is_atis=True)])

    response = api.get("/v1/network/status")

    assert response.status_code == 200
    body = response.json()
    assert body["pilots_online"] == 1
    assert body["controllers_online"] == 1
    assert body["last_snapshot_at"] == latest.isoformat().replace("+00:00", "Z")
    assert response.headers["cache-control"] == "public, max-age=15"


def test_current_flights_and_controllers_list_who_is_in_the_latest_snapshot(api: TestClient, engine: sa.Engine) -> None:
    latest = now_tick()
    add_snapshots(engine, [snapshot(latest - timedelta(seconds=15)), snapshot(latest)])
    add_flights(engine, [flight(7, latest - timedelta(hours=1), latest, "VOZ7"),
                         flight(3, latest - timedelta(hours=1), latest, "QFA3"),
                         flight(5, latest - timedelta(hours=2), latest - timedelta(seconds=15), "JST5")])
    add_controllers(engine, [controller("ML_CTR", 10, latest - timedelta(hours=1), latest),
                             controller("BN_CTR", 12, latest - timedelta(hours=1), latest - timedelta(seconds=15))])

    flights = api.get("/v1/network/flights").json()
    controllers = api.get("/v1/network/controllers").json()

    assert [(f["cid"], f["callsign"]) for f in flights["items"]] == [(3, "QFA3"), (7, "VOZ7")]
    assert flights["next_cursor"] is None
    assert [c["callsign"] for c in controllers["items"]] == ["ML_CTR"]


def test_a_flight_connection_is_found_by_its_key_with_utc_times(api: TestClient, engine: sa.Engine) -> None:
    logon = utc("2026-01-10 06:00")
    add_flights(engine, [flight(1234567, logon, logon + timedelta(hours=2), "QFA1")])

    response = api.get("/v1/flights/1234567/qfa1/2026-01-10T06:00:00Z")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["cid"], body["callsign"], body["logon_time"]) == (1234567, "QFA1", "2026-01-10T06:00:00Z")
    assert body["last_seen"] == "2026-01-10T08:00:00Z"
    assert response.headers["cache-control"] == "public, max-age=3600"  # a connection of a finished day


def test_a_flight_connection_may_be_named_with_an_offset_or_none(api: TestClient, engine: sa.Engine) -> None:
    logon = utc("2026-01-10 06:00")
    add_flights(engine, [flight(1234567, logon, logon + timedelta(hours=2), "QFA1")])

    assert api.get("/v1/flights/1234567/QFA1/2026-01-10T16:00:00+10:00").status_code == 200
    assert api.get("/v1/flights/1234567/QFA1/2026-01-10T06:00:00").status_code == 200


def test_a_track_lists_one_days_positions_in_time_order(api: TestClient, engine: sa.Engine) -> None:
    logon = utc("2026-01-10 23:50")
    add_flights(engine, [flight(42, logon, logon + timedelta(minutes=20), "VOZ42")])
    points = [position(42, "VOZ42", logon, logon + timedelta(minutes=m), altitude_ft=100 * m) for m in (0, 5, 9, 12, 15)]
    add(engine, FLIGHT_POSITIONS, points)

    first_day = api.get("/v1/flights/42/VOZ42/2026-01-10T23:50:00Z/track", params={"date": "2026-01-10"}).json()
    second_day = api.get("/v1/flights/42/VOZ42/2026-01-10T23:50:00Z/track", params={"date": "2026-01-11"}).json()

    assert [p["observed_at"] for p in first_day["items"]] == ["2026-01-10T23:50:00Z", "2026-01-10T23:55:00Z",
                                                              "2026-01-10T23:59:00Z"]
    assert [p["altitude_ft"] for p in second_day["items"]] == [1200, 1500]


def test_a_callsigns_and_a_members_connections_are_listed_oldest_first(api: TestClient, engine: sa.Engine) -> None:
    add_flights(engine, [
        flight(100, utc("2026-01-10 09:00"), utc("2026-01-10 10:00"), "QFA1"),
        flight(200, utc("2026-01-09 09:00"), utc("2026-01-09 10:00"), "QFA1"),
        flight(100, utc("2026-01-08 09:00"), utc("2026-01-08 10:00"), "VOZ9"),
    ])

    by_callsign = api.get("/v1/callsigns/QFA1/flights").json()
    by_member = api.get("/v1/members/100/flights").json()

    assert [(f["cid"], f["logon_time"]) for f in by_callsign["items"]] == [
        (200, "2026-01-09T09:00:00Z"), (100, "2026-01-10T09:00:00Z")]
    assert [f["callsign"] for f in by_member["items"]] == ["VOZ9", "QFA1"]
    assert api.get("/v1/members/999/flights").json()["items"] == []


def test_an_airports_movements_are_listed_for_a_day_or_an_hour(api: TestClient, engine: sa.Engine) -> None:
    add(engine, TRAFFIC_MOVEMENTS, [
        movement("YSSY", "departure", utc("2026-01-10 06:10"), 1),
        movement("YSSY", "arrival", utc("2026-01-10 07:20"), 2),
        movement("YMML", "arrival", utc("2026-01-10 07:25"), 1),
        movement("YSSY", "arrival", utc("2026-01-11 00:05"), 3),
    ])

    day = api.get("/v1/airports/yssy/movements", params={"date": "2026-01-10"})
    hour = api.get("/v1/airports/YSSY/movements", params={"date": "2026-01-10", "hour": 7}).json()

    assert day.status_code == 200, day.text
    assert [(m["movement_type"], m["cid"]) for m in day.json()["items"]] == [("departure", 1), ("arrival", 2)]
    assert [m["cid"] for m in hour["items"]] == [2]
    assert day.json()["airport"] == "YSSY"


def test_a_known_airport_with_no_traffic_that_day_has_an_empty_page(api: TestClient) -> None:
    response = api.get("/v1/airports/YPPH/movements", params={"date": "2026-01-10"})

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_an_airport_outside_the_airport_database_is_known_once_a_movement_was_recorded(
    api: TestClient, engine: sa.Engine
) -> None:
    assert api.get("/v1/airports/ZZ9Z/movements", params={"date": "2026-01-10"}).status_code == 404
    add(engine, TRAFFIC_MOVEMENTS, [movement("ZZ9Z", "arrival", utc("2026-01-03 07:20"), 2)])

    assert api.get("/v1/airports/ZZ9Z/movements", params={"date": "2026-01-10"}).status_code == 200


def test_movement_summaries_and_the_hourly_view_cover_a_range_of_days(api: TestClient, engine: sa.Engine) -> None:
    for offset, airport in ((0, "YSSY"), (1, "YMML"), (1, "YSSY"), (5, "YSSY")):
        add_movement_summary(engine, PAST_DAY + timedelta(days=offset), airport, movements=offset + 1)

    summaries = api.get("/v1/summaries/movements", params={"start": "2026-01-10", "end": "2026-01-11"}).json()
    one_airport = api.get("/v1/summaries/movements", params={"start": "2026-01-10", "end": "2026-01-11",
                                                             "airport": "ymml"}).json()
    hourly = api.get("/v1/summaries/airport-hourly", params={"start": "2026-01-11"}).json()

    assert [(s["date"], s["airport"]) for s in summaries["items"]] == [
        ("2026-01-10", "YSSY"), ("2026-01-11", "YMML"), ("2026-01-11", "YSSY")]
    assert [s["airport"] for s in one_airport["items"]] == ["YMML"]
    assert hourly["items"] == [
        {"date": "2026-01-11", "airport": "YMML", "hour": 0, "departures": 0, "arrivals": 2},
        {"date": "2026-01-11", "airport": "YSSY", "hour": 0, "departures": 0, "arrivals": 2},
    ]


def test_flight_controller_and_network_summaries_are_listed_by_day(api: TestClient, engine: sa.Engine) -> None:
    add(engine, FLIGHT_SUMMARIES, [flight_summary(1, utc("2026-01-10 08:00")), flight_summary(2, utc("2026-01-10 07:00")),
                                   flight_summary(3, utc("2026-01-11 07:00"))])
    add(engine, CONTROLLER_SUMMARIES, [controller_summary(PAST_DAY, "ML_CTR", 10),
                                       controller_summary(PAST_DAY, "BN_CTR", 11)])
    add(engine, NETWORK_DAILY_STATS, [network_day(PAST_DAY, 120), network_day(PAST_DAY + timedelta(days=1), 130)])

    flights = api.get("/v1/summaries/flights", params={"start": "2026-01-10"}).json()
    controllers = api.get("/v1/summaries/controllers", params={"start": "2026-01-10"}).json()
    network = api.get("/v1/summaries/network", params={"start": "2026-01-10", "end": "2026-01-31"}).json()

    assert [f["cid"] for f in flights["items"]] == [2, 1]
    assert [c["callsign"] for c in controllers["items"]] == ["BN_CTR", "ML_CTR"]
    assert [(n["date"], n["unique_pilots"]) for n in network["items"]] == [("2026-01-10", 120), ("2026-01-11", 130)]
    assert network["items"][0]["busiest_airports"] == [{"airport": "YSSY", "movements": 12}]


def test_sector_load_is_listed_by_day_sector_and_hour_and_filtered_by_sector(api: TestClient, engine: sa.Engine) -> None:
    def load(sector: str, hour: int, aircraft: int) -> dict:
        return {"date": PAST_DAY, "hour": hour, "sector": sector, "aircraft": aircraft, "entries": aircraft,
                "aircraft_minutes": 12.5 * aircraft, "peak_aircraft": aircraft, "peak_at": None,
                "staffed_minutes": 30.0, "unstaffed_aircraft_minutes": 6.25, "airspace_version": "sha256:t"}

    add(engine, SECTOR_HOURLY_LOAD, [load("SY_APP", 7, 3), load("ARL", 9, 5), load("ARL", 8, 4)])

    every = api.get("/v1/summaries/sectors", params={"start": "2026-01-10"}).json()
    arl = api.get("/v1/summaries/sectors", params={"start": "2026-01-10", "sector": "ARL"}).json()

    assert [(r["sector"], r["hour"]) for r in every["items"]] == [("ARL", 8), ("ARL", 9), ("SY_APP", 7)]
    assert [r["aircraft_minutes"] for r in arl["items"]] == [50.0, 62.5] and arl["next_cursor"] is None


def test_healthz_says_ok_when_the_warehouse_answers(api: TestClient) -> None:
    response = api.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_atc_contacts_are_listed_by_start_and_filtered_by_controller_or_pilot(api: TestClient, engine: sa.Engine) -> None:
    def contact(pilot: int, atc: str, start: str, minutes: int) -> dict:
        begin = utc(start)
        return {"pilot_cid": pilot, "pilot_callsign": f"QFA{pilot}", "pilot_logon_time": utc("2026-01-10 05:00"),
                "atc_cid": 900 + len(atc), "atc_callsign": atc, "atc_logon_time": utc("2026-01-10 04:00"),
                "facility": 6, "channel_hz": 124_500_000, "started_at": begin,
                "ended_at": begin + timedelta(minutes=minutes)}

    add(engine, ATC_CONTACTS, [contact(2, "ML_CTR", "2026-01-10 07:00", 30), contact(1, "BN_CTR", "2026-01-10 06:00", 5),
                               contact(1, "ML_CTR", "2026-01-11 06:00", 10)])

    day = api.get("/v1/coverage/contacts", params={"start": "2026-01-10"}).json()
    melbourne = api.get("/v1/coverage/contacts", params={"start": "2026-01-10", "end": "2026-01-11",
                                                         "controller": "ml_ctr"}).json()
    pilot = api.get("/v1/coverage/contacts", params={"start": "2026-01-10", "end": "2026-01-11", "pilot_cid": 1}).json()
    wrong = api.get("/v1/coverage/contacts", params={"start": "2026-01-10", "controller": "ML CTR"})

    assert [(c["pilot_cid"], c["atc_callsign"], c["seconds"]) for c in day["items"]] == [(1, "BN_CTR", 300), (2, "ML_CTR", 1800)]
    assert [(c["pilot_cid"], c["started_at"]) for c in melbourne["items"]] == [
        (2, "2026-01-10T07:00:00Z"), (1, "2026-01-11T06:00:00Z")]
    assert [c["atc_callsign"] for c in pilot["items"]] == ["BN_CTR", "ML_CTR"]
    assert wrong.status_code == 422 and "The query parameter 'controller' must be" in wrong.json()["detail"]


def test_hourly_coverage_is_listed_by_day_hour_and_area_and_filtered_by_area(api: TestClient, engine: sa.Engine) -> None:
    def hour(h: int, kind: str, area: str, minutes: int, covered: int) -> dict:
        return {"date": PAST_DAY, "hour": h, "area_kind": kind, "area": area, "aircraft": 2, "aircraft_minutes": minutes,
                "covered_aircraft_minutes": covered, "uncovered_aircraft_minutes": minutes - covered,
                "covered_share": covered / minutes, "staffed_minutes": 60, "peak_aircraft": 2}

    add(engine, COVERAGE_HOURLY, [hour(7, "enroute", "all", 100, 25), hour(7, "airport", "YSSY", 80, 40),
                                  hour(6, "airport", "YSSY", 50, 50)])

    every = api.get("/v1/coverage/hourly", params={"start": "2026-01-10"}).json()
    sydney = api.get("/v1/coverage/hourly", params={"start": "2026-01-10", "area": "yssy"}).json()
    enroute = api.get("/v1/coverage/hourly", params={"start": "2026-01-10", "area": "all"}).json()
    wrong = api.get("/v1/coverage/hourly", params={"start": "2026-01-10", "area": "Sydney!"})

    assert [(c["hour"], c["area"]) for c in every["items"]] == [(6, "YSSY"), (7, "YSSY"), (7, "all")]
    assert [c["uncovered_aircraft_minutes"] for c in sydney["items"]] == [0, 40]
    assert [(c["area_kind"], c["covered_share"]) for c in enroute["items"]] == [("enroute", 0.25)]
    assert wrong.status_code == 422 and "'area' must be an ICAO code" in wrong.json()["detail"]
