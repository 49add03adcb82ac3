"""What can be exported, and how: the day-keyed tables, the day each row belongs to, the files'
names, their Arrow schema, and the statement that selects a day.

Pure: no database, no Dagster, no I/O. `storage/export.py` streams the rows these statements select
into the files named here; `vatstats export` and the `daily_exports` asset both use it.

Every exportable table is cut into UTC days by one column. `flights` and `atc_positions` hold one
row per connection, updated while it is online: a connection belongs to the day of its `last_seen`,
so each connection is in exactly one day's file, with its final state once the day is over.
`feed_snapshots` (raw bodies holding every member's name) and the airspace's reference tables are
not exportable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

import pyarrow as pa

Format = Literal["parquet", "csv"]
FORMATS: tuple[Format, ...] = ("parquet", "csv")

# PostgreSQL type -> Arrow type. Timestamps keep PostgreSQL's microseconds and say they are UTC;
# JSON is kept as its text (every reader parses it, and its shape varies by row).
ARROW_TYPES: dict[str, pa.DataType] = {
    "smallint": pa.int16(),
    "integer": pa.int32(),
    "double": pa.float64(),
    "real": pa.float32(),
    "text": pa.string(),
    "boolean": pa.bool_(),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "jsonb": pa.string(),
    "real[]": pa.list_(pa.float32()),
}


class ExportRequestError(ValueError):
    """A request that cannot be exported; the message is one sentence for the user."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of ARROW_TYPES
    nullable: bool = False

    def select_expression(self, fmt: Format) -> str:
        """How the column is selected for `fmt`: as it is, except where a reader would misread
        PostgreSQL's text (CSV) or psycopg2 would parse it (JSON)."""
        if self.type == "jsonb":
            return f"{self.name}::text AS {self.name}"
        if fmt == "csv" and self.type == "timestamptz":
            # ISO 8601 in UTC with a Z: pandas, DuckDB and spreadsheets read it without a format.
            return f"""to_char({self.name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS {self.name}"""
        if fmt == "csv" and self.type.endswith("[]"):
            return f"{self.name}::text AS {self.name}"  # PostgreSQL's array text: {-33.9,151.2}
        if fmt == "csv" and self.type == "boolean":
            return f"{self.name}::text AS {self.name}"  # true/false rather than PostgreSQL's t/f
        return self.name


def _columns(spec: str) -> tuple[Column, ...]:
    """'cid integer, name text?' -> Columns; a trailing ? marks a nullable column."""
    columns = []
    for part in spec.split(","):
        name, type_ = part.split()
        columns.append(Column(name, type_.rstrip("?"), nullable=type_.endswith("?")))
    return tuple(columns)


@dataclass(frozen=True)
class ExportTable:
    """A warehouse table as it is exported: its columns, the column that puts a row in a UTC day,
    and the order rows are written in (stable, so a re-export of an unchanged day is identical)."""

    name: str
    day_column: str
    columns: tuple[Column, ...]
    order_by: tuple[str, ...]
    # flights is found by day through the index on the hour of last_seen (migration 005).
    hour_column: str | None = None
    # Filled by the airspace domain (VATSTATS_AIRSPACE_DIR); empty files without it.
    from_airspace: bool = False

    @property
    def day_is_date(self) -> bool:
        return self.column(self.day_column).type == "date"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def arrow_schema(self) -> pa.Schema:
        """The files' schema, the same for every day, an empty one included."""
        return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable) for c in self.columns])

    def _in_day(self) -> str:
        condition = f"{self.day_column} >= %(start)s AND {self.day_column} < %(end)s"
        if self.hour_column:
            condition = f"{self.hour_column} >= %(start_hour)s AND {self.hour_column} < %(end_hour)s AND " + condition
        return condition

    def select_day(self, fmt: Format) -> str:
        """The statement selecting one day's rows, with psycopg2 parameters (see day_parameters).
        Identifiers come only from the constants below."""
        return (
            f"SELECT {', '.join(c.select_expression(fmt) for c in self.columns)} "
            f"FROM vatstats.{self.name} WHERE {self._in_day()} ORDER BY {', '.join(self.order_by)}"
        )

    def count_day(self) -> str:
        """How many rows select_day selects."""
        return f"SELECT count(*) FROM vatstats.{self.name} WHERE {self._in_day()}"

    def day_parameters(self, day: date) -> dict[str, object]:
        """The bounds of `day` for select_day: dates for a date column, UTC instants otherwise."""
        if self.day_is_date:
            return {"start": day, "end": day + timedelta(days=1)}
        start = datetime.combine(day, time(), tzinfo=UTC)
        end = start + timedelta(days=1)
        # The hour column is a plain timestamp of the UTC hour.
        return {"start": start, "end": end, "start_hour": start.replace(tzinfo=None), "end_hour": end.replace(tzinfo=None)}


EXPORT_TABLES: dict[str, ExportTable] = {t.name: t for t in (
    ExportTable(
        "flight_positions", "observed_at",
        _columns("cid integer, callsign text, logon_time timestamptz, observed_at timestamptz, latitude double, "
                 "longitude double, altitude_ft integer, groundspeed_kt integer, heading_deg smallint"),
        # a connection's track in time order: how it is read, and it compresses best
        order_by=("cid", "callsign", "logon_time", "observed_at"),
    ),
    ExportTable(
        "traffic_movements", "at",
        _columns("airport text, movement_type text, at timestamptz, cid integer, callsign text, "
                 "logon_time timestamptz, aircraft_type text?, filed_departure text?, filed_arrival text?, "
                 "matches_flight_plan boolean"),
        order_by=("at", "airport", "movement_type", "cid", "callsign", "logon_time"),
    ),
    ExportTable(
        "movement_summaries", "date",
        _columns("date date, airport text, hour smallint, movement_type text, aircraft_type text, movements integer"),
        order_by=("date", "airport", "hour", "movement_type", "aircraft_type"),
    ),
    ExportTable(
        "flight_summaries", "landing_at",
        _columns("cid integer, callsign text, logon_time timestamptz, landing_at timestamptz, aircraft_type text?, "
                 "flight_rules text?, filed_departure text?, filed_arrival text?, departure text?, arrival text, "
                 "off_block_at timestamptz?, takeoff_at timestamptz?, on_block_at timestamptz?, "
                 "airborne_minutes double?, distance_nm double, max_altitude_ft integer, diverted boolean, "
                 "atc_covered_seconds double?, atc_covered_share real?, atc_airborne_covered_seconds double?, "
                 "atc_airborne_covered_share real?, covered_fss_seconds double?, covered_delivery_seconds double?, "
                 "covered_ground_seconds double?, covered_tower_seconds double?, covered_approach_seconds double?, "
                 "covered_centre_seconds double?"),
        order_by=("landing_at", "cid", "callsign", "logon_time"),
    ),
    ExportTable(
        "controller_summaries", "date",
        _columns("date date, callsign text, cid integer, facility smallint, rating smallint, sessions integer, "
                 "minutes_online double, aircraft_handled integer?, peak_aircraft integer?, "
                 "peak_aircraft_at timestamptz?"),
        order_by=("date", "callsign", "cid"),
    ),
    ExportTable(
        "network_daily_stats", "date",
        _columns("date date, unique_pilots integer, unique_controllers integer, peak_pilots integer, "
                 "peak_pilots_at timestamptz?, peak_controllers integer, peak_controllers_at timestamptz?, "
                 "snapshots_ingested integer, snapshots_missed integer, busiest_airports jsonb"),
        order_by=("date",),
    ),
    ExportTable(
        "flights", "last_seen",
        # every column but last_seen_hour, which is generated from last_seen
        _columns("cid integer, callsign text, logon_time timestamptz, name text?, server text?, "
                 "pilot_rating smallint?, military_rating smallint?, latitude double, longitude double, "
                 "altitude_ft integer, groundspeed_kt integer, heading_deg smallint, transponder text?, "
                 "qnh_mb smallint?, flight_rules text?, aircraft text?, aircraft_type text?, departure text?, "
                 "arrival text?, alternate text?, cruise_tas_kt integer?, planned_altitude_ft integer?, "
                 "deptime text?, enroute_time text?, route text?, remarks text?, revision_id integer?, "
                 "assigned_transponder text?, last_updated timestamptz, first_seen timestamptz, "
                 "last_seen timestamptz, max_altitude_ft integer, moved_at timestamptz?"),
        order_by=("cid", "callsign", "logon_time"),
        hour_column="last_seen_hour",
    ),
    ExportTable(
        "atc_positions", "last_seen",
        _columns("callsign text, cid integer, logon_time timestamptz, name text?, frequency_khz integer?, "
                 "facility smallint, rating smallint, server text?, visual_range integer?, is_atis boolean, "
                 "atis_code text?, text_atis text?, last_updated timestamptz, first_seen timestamptz, "
                 "last_seen timestamptz"),
        order_by=("callsign", "cid", "logon_time"),
    ),
    ExportTable(
        "transceiver_tunings", "last_seen",
        # a run belongs to the day of its last_seen, like the connections; last_seen_hour (generated) left out
        _columns("cid integer, callsign text, logon_time timestamptz, is_pilot boolean, frequency_hz integer, "
                 "channel_hz integer, first_seen timestamptz, last_seen timestamptz, site_latitudes real[]?, "
                 "site_longitudes real[]?"),
        order_by=("cid", "callsign", "logon_time", "frequency_hz", "first_seen"),
        hour_column="last_seen_hour",
    ),
    ExportTable(
        "atc_contacts", "started_at",
        _columns("pilot_cid integer, pilot_callsign text, pilot_logon_time timestamptz, atc_cid integer, "
                 "atc_callsign text, atc_logon_time timestamptz, facility smallint, channel_hz integer, "
                 "started_at timestamptz, ended_at timestamptz"),
        order_by=("started_at", "pilot_cid", "pilot_callsign", "pilot_logon_time", "atc_cid", "atc_callsign",
                  "atc_logon_time", "channel_hz"),
    ),
    ExportTable(
        "coverage_hourly", "date",
        _columns("date date, hour smallint, area_kind text, area text, aircraft integer, aircraft_minutes integer, "
                 "covered_aircraft_minutes integer, uncovered_aircraft_minutes integer, covered_share real, "
                 "staffed_minutes smallint, peak_aircraft integer"),
        order_by=("date", "hour", "area_kind", "area"),
    ),
    ExportTable(
        "sector_occupancy", "entered_at",
        _columns("sector text, cid integer, callsign text, logon_time timestamptz, entered_at timestamptz, "
                 "exited_at timestamptz, entry text, exit text, airspace_version text"),
        order_by=("entered_at", "sector", "cid", "callsign", "logon_time"),
        from_airspace=True,
    ),
    ExportTable(
        "sector_hourly_load", "date",
        _columns("date date, hour smallint, sector text, aircraft integer, entries integer, aircraft_minutes real, "
                 "peak_aircraft integer, peak_at timestamptz?, staffed_minutes real, unstaffed_aircraft_minutes real, "
                 "airspace_version text"),
        order_by=("date", "sector", "hour"),
        from_airspace=True,
    ),
)}
# Not exported: feed_snapshots (raw bodies hold every member's name) and the airspace's reference
# tables, airspace_volumes and airspace_sectors (not kept by day: the sector files are their source).


def exported_tables(with_airspace: bool) -> list[ExportTable]:
    """What daily_exports copies: the airspace's tables only where the airspace domain fills them."""
    return [t for t in EXPORT_TABLES.values() if with_airspace or not t.from_airspace]


def file_name(table: str, day: date, fmt: Format) -> str:
    return f"{table}_{day.isoformat()}.{fmt}"


def export_path(folder: Path, table: str, day: date, fmt: Format) -> Path:
    """`folder/<table>/<table>_<YYYY-MM-DD>.<fmt>`: one file per table and UTC day."""
    return folder / table / file_name(table, day, fmt)


def days_between(start: date, end: date) -> list[date]:
    """Every day from start to end, both included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@dataclass(frozen=True)
class ExportRequest:
    tables: tuple[ExportTable, ...]
    start: date
    end: date
    fmt: Format

    @property
    def days(self) -> list[date]:
        return days_between(self.start, self.end)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ExportRequestError(f"{option} must be a date like 2026-11-01, not {text!r}") from None


def parse_tables(text: str) -> tuple[ExportTable, ...]:
    """`traffic_movements`, a comma-separated list, or `all`."""
    names = list(EXPORT_TABLES) if text.strip() == "all" else [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in EXPORT_TABLES]
    if unknown or not names:
        raise ExportRequestError(
            f"{(unknown or [text])[0]!r} is not an exportable table; choose from {', '.join(EXPORT_TABLES)} (or all)"
        )
    return tuple(EXPORT_TABLES[n] for n in dict.fromkeys(names))


def parse_request(tables: str, start: str, end: str, fmt: str, *, today: date) -> ExportRequest:
    """Check a request before anything is opened or written; ExportRequestError says what is wrong."""
    chosen = parse_tables(tables)
    first, last = _day(start, "--start"), _day(end, "--end")
    if last < first:
        raise ExportRequestError(f"--end {last} is before --start {first}")
    if last > today:
        raise ExportRequestError(f"--end {last} is in the future (today is {today} UTC)")
    if fmt not in FORMATS:
        raise ExportRequestError(f"--format must be {' or '.join(FORMATS)}, not {fmt!r}")
    return ExportRequest(chosen, first, last, fmt)
