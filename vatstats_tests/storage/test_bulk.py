from datetime import UTC, date, datetime, timedelta, timezone

import pandas as pd
import pytest
import sqlalchemy as sa

from vatstats_assets.storage import bulk
from vatstats_assets.storage.copy_format import UnstorableValue, copy_text
from vatstats_assets.storage.partitions import ensure_partitions, missing_partitions
from vatstats_assets.storage.tables import ATC_POSITIONS, FLIGHT_POSITIONS

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def atc_row(callsign: str, *, seen: datetime = T0, text_atis: str | None = None, name: str = "C") -> dict:
    return {
        "callsign": callsign, "cid": 1, "logon_time": T0 - timedelta(hours=1), "name": name,
        "frequency_khz": 118700, "facility": 4, "rating": 5, "server": "AU", "visual_range": 50,
        "is_atis": False, "atis_code": None, "text_atis": text_atis, "last_updated": seen,
        "first_seen": seen, "last_seen": seen,
    }


def test_copy_format_tells_null_from_empty_and_escapes_control_characters() -> None:
    text = copy_text([(None, "", "a\tb\\c\nd", True, 1.5)])
    assert text == "\\N\t\t" + "a\\tb\\\\c\\nd" + "\tt\t1.5\n"


def test_copy_format_writes_every_datetime_as_isoformat_does() -> None:
    # Formatted a column at a time, by orjson where it agrees with isoformat: it must agree exactly.
    odd_zone = timezone(timedelta(hours=5, minutes=30, seconds=7))
    columns = [
        [T0 + timedelta(microseconds=7_919 * i) for i in range(500)],  # a microsecond part or none
        [T0] * 500,  # a snapshot's seen
        [None if i % 3 else T0 - timedelta(days=i) for i in range(500)],
        [datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)] * 250,
        [datetime(2026, 11, 20, 10, 0, 0, i) for i in range(500)],  # naive
        [T0.astimezone(odd_zone), T0] * 250,  # a zone whose offset has seconds: not orjson's
    ]
    for column in columns:
        lines = copy_text([(value,) for value in column]).split("\n")[:-1]
        assert lines == ["\\N" if value is None else value.isoformat() for value in column]


ODD_NUMBERS = [0.0, -0.0, 1.0, -33.9461, 0.1 + 0.2, 1e-7, 5e-324, 1.7976931348623157e308, 1e16, 123456789.125]


def test_copy_format_numbers_read_back_by_postgresql_as_the_same_values(engine: sa.Engine) -> None:
    count = 100
    floats = [*ODD_NUMBERS, *(n / 7 for n in range(count - len(ODD_NUMBERS)))]
    with_null = [None if n % 9 == 0 else value for n, value in enumerate(floats)]
    ints = [0, -1, 2**63 - 1, -(2**63), *range(count - 4)]
    specials = [[float("nan"), float("inf"), float("-inf"), None, 2.5][n % 5] for n in range(count)]
    rows = list(zip(floats, with_null, ints, [None if n % 7 == 0 else v for n, v in enumerate(ints)], specials,
                    strict=True))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMPORARY TABLE numbers (a float8, b float8, c int8, d int8, e float8, n serial)")
        bulk.copy_text_lines(conn, "numbers", ("a", "b", "c", "d", "e"), copy_text(rows))
        stored = [tuple(row) for row in conn.exec_driver_sql("SELECT a, b, c, d, e FROM numbers ORDER BY n")]
    nan_is_null = [(*row[:4], None if row[4] != row[4] else row[4]) for row in rows]
    assert stored == nan_is_null  # NaN is pandas' NULL; infinities stay infinite


def test_copy_format_writes_a_number_too_large_for_64_bits_for_postgresql_to_refuse() -> None:
    assert copy_text([(2**64,), (None,)]) == f"{2**64}\n\\N\n"


def test_copy_format_refuses_nul_characters() -> None:
    with pytest.raises(UnstorableValue):
        copy_text([("bad\x00callsign",)])


def test_a_nul_in_a_later_chunk_of_a_streamed_copy_is_named_and_nothing_is_written(engine: sa.Engine) -> None:
    rows = [atc_row(f"YSSY_{n}_TWR") for n in range(600)] + [atc_row("YMML_TWR", name="bad\x00name")]
    with pytest.raises(UnstorableValue, match="NUL"), engine.begin() as conn:
        bulk.upsert(conn, ATC_POSITIONS, pd.DataFrame(rows))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM vatstats.atc_positions")).scalar() == 0


def test_upsert_counts_inserted_updated_and_unchanged_rows(engine: sa.Engine) -> None:
    first = pd.DataFrame([atc_row("YSSY_TWR"), atc_row("YMML_APP")])
    with engine.begin() as conn:
        assert bulk.upsert(conn, ATC_POSITIONS, first) == bulk.WriteCounts(inserted=2)
    later = T0 + timedelta(seconds=15)
    second = pd.DataFrame([atc_row("YSSY_TWR", seen=later), atc_row("YMML_APP"), atc_row("YBBN_GND")])
    with engine.begin() as conn:
        assert bulk.upsert(conn, ATC_POSITIONS, second) == bulk.WriteCounts(inserted=1, updated=1, unchanged=1)
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT first_seen, last_seen FROM vatstats.atc_positions WHERE callsign = 'YSSY_TWR'"
        )).one()
    assert row.first_seen == T0 and row.last_seen == later


def test_upsert_never_moves_last_seen_backwards(engine: sa.Engine) -> None:
    later = T0 + timedelta(minutes=5)
    with engine.begin() as conn:
        bulk.upsert(conn, ATC_POSITIONS, pd.DataFrame([atc_row("YSSY_TWR", seen=later)]))
        bulk.upsert(conn, ATC_POSITIONS, pd.DataFrame([atc_row("YSSY_TWR", seen=T0)]))
        first_seen, last_seen = conn.execute(sa.text(
            "SELECT first_seen, last_seen FROM vatstats.atc_positions")).one()
    assert (first_seen, last_seen) == (T0, later)


def test_hostile_text_is_stored_verbatim_never_executed(engine: sa.Engine) -> None:
    hostile = "'); DROP TABLE vatstats.flights; -- \\ \" ; \t tab \n newline " + "x" * 10_000
    with engine.begin() as conn:
        bulk.upsert(conn, ATC_POSITIONS, pd.DataFrame([atc_row("EVIL'; --", text_atis=hostile, name=hostile)]))
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT callsign, name, text_atis FROM vatstats.atc_positions")).one()
        flights_exists = conn.execute(sa.text("SELECT to_regclass('vatstats.flights') IS NOT NULL")).scalar()
    assert tuple(stored) == ("EVIL'; --", hostile, hostile)
    assert flights_exists


def position(observed_at: datetime, cid: int = 1) -> dict:
    return {"cid": cid, "callsign": "QFA1", "logon_time": T0, "observed_at": observed_at, "latitude": -33.9,
            "longitude": 151.2, "altitude_ft": 21, "groundspeed_kt": 0, "heading_deg": 90}


def test_replace_window_twice_leaves_identical_rows(engine: sa.Engine) -> None:
    day = T0.replace(hour=0)
    frame = pd.DataFrame([position(T0), position(T0 + timedelta(seconds=15))])
    with engine.begin() as conn:
        ensure_partitions(conn, day.date(), day.date(), ["flight_positions"])
        bulk.replace_window(conn, FLIGHT_POSITIONS, frame, day, day + timedelta(days=1))
    with engine.begin() as conn:
        counts = bulk.replace_window(conn, FLIGHT_POSITIONS, frame, day, day + timedelta(days=1))
        total = conn.execute(sa.text("SELECT count(*) FROM vatstats.flight_positions")).scalar()
    assert counts == bulk.WriteCounts(inserted=2, deleted=2)
    assert total == 2


def test_replace_window_refuses_rows_outside_the_window(engine: sa.Engine) -> None:
    day = T0.replace(hour=0)
    frame = pd.DataFrame([position(day - timedelta(seconds=1))])
    with engine.begin() as conn, pytest.raises(ValueError, match="outside the partition window"):
        bulk.replace_window(conn, FLIGHT_POSITIONS, frame, day, day + timedelta(days=1))


def test_missing_partitions_are_reported_then_created_once(engine: sa.Engine) -> None:
    days = [date(2021, 6, 13), date(2021, 6, 14)]
    # Never committed: the partitions would outlive the test and show in another (a replay's days).
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS vatstats.flight_positions_p20210613, vatstats.flight_positions_p20210614")
        assert missing_partitions(conn, days, ["flight_positions"]) == [("flight_positions", d) for d in days]
        assert len(ensure_partitions(conn, days[0], days[1], ["flight_positions"])) == 2
        assert ensure_partitions(conn, days[0], days[1], ["flight_positions"]) == []
        assert missing_partitions(conn, days, ["flight_positions"]) == []
