"""The warehouse tables the bulk writer knows: columns, keys and how a conflicting row merges.

These constants are the only source of identifiers in generated SQL (values are always bound or
streamed through COPY), so nothing a feed or a user sends can become part of a statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vatstats_assets.core.snapshot_rows import PARKED_ALTITUDE_JITTER_FT, AtcRow, FlightRow, PositionRow
from vatstats_assets.storage.sql_files import expression

SCHEMA = "vatstats"


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...] = ()
    # column -> SQL expression for ON CONFLICT DO UPDATE (t = the stored row, EXCLUDED = the new one);
    # columns not named here take EXCLUDED's value.
    merge: dict[str, str] = field(default_factory=dict)
    # columns never overwritten by an upsert (the stored value wins)
    keep: tuple[str, ...] = ()
    # the column a daily partition window applies to, and whether it is a date or a timestamptz
    window_column: str | None = None
    window_is_date: bool = False
    # True when the PostgreSQL table is range-partitioned by day on window_column
    day_partitioned: bool = False
    # For append of StagedRows (rows derived from another table's stage in the same transaction):
    # the sql/queries file that inserts them. Rows handed over as a DataFrame or TableRows are
    # COPYed in as they are.
    append_query: str | None = None
    # The columns' PostgreSQL types, for a table COPYed in binary (storage/copy_binary.py): worth it
    # where a large bytea would otherwise be hex-encoded. None: COPY text.
    copy_types: tuple[str, ...] | None = None

    @property
    def qualified(self) -> str:
        return f"{SCHEMA}.{self.name}"

    @property
    def updatable(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.key and c not in self.keep)


FEED_SNAPSHOTS = TableSpec(
    name="feed_snapshots",
    columns=(
        "update_timestamp", "fetched_at", "source", "body", "body_encoding", "raw_bytes", "compressed_bytes",
        "pilots", "controllers", "atis", "prefiles", "pilots_stored", "controllers_stored",
        "skipped_records", "duplicates_dropped", "region",
        "transceivers_body", "transceivers_raw_bytes", "transceivers_entries", "transceivers_skipped",
        "transceivers_missing",
    ),
    key=("update_timestamp",),
    window_column="update_timestamp",
    day_partitioned=True,
    # The compressed body is ~600 KB a tick: in binary it is sent as it is, not spelled in hex.
    copy_types=("timestamptz", "timestamptz", "text", "bytea", "text") + ("integer",) * 10 + ("text",)
    + ("bytea",) + ("integer",) * 3 + ("text",),
)

FLIGHTS = TableSpec(
    name="flights",
    columns=FlightRow._fields,  # the ingest path's rows are these columns, in this order
    key=("cid", "callsign", "logon_time"),
    merge={
        # An older snapshot replayed late must not move first/last seen the wrong way.
        "first_seen": "LEAST(t.first_seen, EXCLUDED.first_seen)",
        "last_seen": "GREATEST(t.last_seen, EXCLUDED.last_seen)",
        "max_altitude_ft": "GREATEST(t.max_altitude_ft, EXCLUDED.max_altitude_ft)",
        # Kept while the aircraft stands still: the track positions stored are those that moved.
        "moved_at": expression("flights_moved_at", parked_altitude_jitter_ft=PARKED_ALTITUDE_JITTER_FT),
    },
    window_column="last_seen",
)

ATC_POSITIONS = TableSpec(
    name="atc_positions",
    columns=AtcRow._fields,
    key=("callsign", "cid", "logon_time"),
    merge={
        "first_seen": "LEAST(t.first_seen, EXCLUDED.first_seen)",
        "last_seen": "GREATEST(t.last_seen, EXCLUDED.last_seen)",
    },
    window_column="last_seen",
)

FLIGHT_POSITIONS = TableSpec(
    name="flight_positions",
    columns=PositionRow._fields,
    key=("cid", "callsign", "logon_time", "observed_at"),
    window_column="observed_at",
    day_partitioned=True,
    # A tick's track positions are its flights' positions: taken from the flights stage, only
    # those that moved (flights.moved_at), inside PostgreSQL.
    append_query="append_moved_positions",
)

TRANSCEIVER_TUNINGS = TableSpec(
    name="transceiver_tunings",
    columns=(
        "cid", "callsign", "logon_time", "is_pilot", "frequency_hz", "channel_hz", "first_seen", "last_seen",
        "site_latitudes", "site_longitudes",
    ),
    key=("cid", "callsign", "logon_time", "frequency_hz", "first_seen"),
    # Written as runs (storage/tunings.py): a tick extends the runs it continues and starts the rest.
)

TRAFFIC_MOVEMENTS = TableSpec(
    name="traffic_movements",
    columns=(
        "airport", "movement_type", "at", "cid", "callsign", "logon_time", "aircraft_type",
        "filed_departure", "filed_arrival", "matches_flight_plan",
    ),
    key=("airport", "movement_type", "cid", "callsign", "logon_time", "at"),
    window_column="at",
    day_partitioned=True,
)

ATC_CONTACTS = TableSpec(
    name="atc_contacts",
    columns=(
        "pilot_cid", "pilot_callsign", "pilot_logon_time", "atc_cid", "atc_callsign", "atc_logon_time",
        "facility", "channel_hz", "started_at", "ended_at",
    ),
    key=("pilot_cid", "pilot_callsign", "pilot_logon_time", "atc_cid", "atc_callsign", "atc_logon_time",
         "channel_hz", "started_at"),
    window_column="started_at",
)

COVERAGE_HOURLY = TableSpec(
    name="coverage_hourly",
    columns=("date", "hour", "area_kind", "area", "aircraft", "aircraft_minutes", "covered_aircraft_minutes",
             "uncovered_aircraft_minutes", "covered_share", "staffed_minutes", "peak_aircraft"),
    key=("date", "hour", "area_kind", "area"),
    window_column="date",
    window_is_date=True,
)


MOVEMENT_SUMMARIES = TableSpec(
    name="movement_summaries",
    columns=("date", "airport", "hour", "movement_type", "aircraft_type", "movements"),
    key=("date", "airport", "hour", "movement_type", "aircraft_type"),
    window_column="date",
    window_is_date=True,
)

FLIGHT_SUMMARIES = TableSpec(
    name="flight_summaries",
    columns=(
        "cid", "callsign", "logon_time", "landing_at", "aircraft_type", "flight_rules",
        "filed_departure", "filed_arrival", "departure", "arrival", "off_block_at", "takeoff_at",
        "on_block_at", "airborne_minutes", "distance_nm", "max_altitude_ft", "diverted",
        # coverage (migration 013; core/flight_coverage.py FlightCoverage)
        "atc_covered_seconds", "atc_covered_share", "atc_airborne_covered_seconds", "atc_airborne_covered_share",
        "covered_fss_seconds", "covered_delivery_seconds", "covered_ground_seconds", "covered_tower_seconds",
        "covered_approach_seconds", "covered_centre_seconds",
    ),
    key=("cid", "callsign", "logon_time", "landing_at"),
    window_column="landing_at",
)

CONTROLLER_SUMMARIES = TableSpec(
    name="controller_summaries",
    columns=("date", "callsign", "cid", "facility", "rating", "sessions", "minutes_online",
             "aircraft_handled", "peak_aircraft", "peak_aircraft_at"),
    key=("date", "callsign", "cid"),
    window_column="date",
    window_is_date=True,
)

NETWORK_DAILY_STATS = TableSpec(
    name="network_daily_stats",
    columns=(
        "date", "unique_pilots", "unique_controllers", "peak_pilots", "peak_pilots_at",
        "peak_controllers", "peak_controllers_at", "snapshots_ingested", "snapshots_missed",
        "busiest_airports",
    ),
    key=("date",),
    window_column="date",
    window_is_date=True,
)
AIRSPACE_VOLUMES = TableSpec(
    name="airspace_volumes",
    columns=("name", "lower_ft", "upper_ft", "boundaries", "geometry", "source_file", "airspace_version"),
    key=("name",),
)

AIRSPACE_SECTORS = TableSpec(
    name="airspace_sectors",
    columns=("name", "full_name", "callsign", "frequency", "volumes", "responsible_sectors", "source_file",
             "airspace_version"),
    key=("name",),
)

SECTOR_OCCUPANCY = TableSpec(
    name="sector_occupancy",
    columns=("sector", "cid", "callsign", "logon_time", "entered_at", "exited_at", "entry", "exit", "airspace_version"),
    key=("sector", "cid", "callsign", "logon_time", "entered_at"),
    window_column="entered_at",
)

SECTOR_HOURLY_LOAD = TableSpec(
    name="sector_hourly_load",
    columns=("date", "hour", "sector", "aircraft", "entries", "aircraft_minutes", "peak_aircraft", "peak_at",
             "staffed_minutes", "unstaffed_aircraft_minutes", "airspace_version"),
    key=("date", "sector", "hour"),
    window_column="date",
    window_is_date=True,
)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        FEED_SNAPSHOTS, FLIGHTS, ATC_POSITIONS, FLIGHT_POSITIONS, TRANSCEIVER_TUNINGS, TRAFFIC_MOVEMENTS, ATC_CONTACTS,
        COVERAGE_HOURLY,
        MOVEMENT_SUMMARIES, FLIGHT_SUMMARIES, CONTROLLER_SUMMARIES, NETWORK_DAILY_STATS,
        AIRSPACE_VOLUMES, AIRSPACE_SECTORS, SECTOR_OCCUPANCY, SECTOR_HOURLY_LOAD,
    )
}


def table_spec(name: str) -> TableSpec:
    """Look up by `flights` or `vatstats.flights`; unknown names are a programming error."""
    short = name.removeprefix(f"{SCHEMA}.")
    try:
        return TABLES[short]
    except KeyError:
        raise KeyError(f"no table spec named {name!r}; known: {', '.join(sorted(TABLES))}") from None
