"""Every setting vatstats reads, in one place, from the environment.

Each setting is an environment variable with a default; `Settings.from_env()` validates them all
and raises `SettingsError` with one sentence naming the variable when a value is unusable.
The README's configuration table mirrors `SETTINGS` below.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

REGIONS = ("vatpac", "global")


class SettingsError(ValueError):
    """A setting has a value vatstats cannot use; the message names the variable."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("VATSTATS_DATABASE_URL", "", "PostgreSQL server for the warehouse, e.g. "
            "postgresql+psycopg2://user:pass@host:5432/vatstats; empty starts an embedded server"),
    Setting("VATSTATS_DATA_DIR", ".vatstats", "folder for the embedded PostgreSQL and DAGSTER_HOME"),
    Setting("VATSTATS_DATABASE_NAME", "vatstats", "warehouse database (used when the URL names none)"),
    Setting("VATSTATS_DAGSTER_DATABASE_NAME", "dagster", "database for Dagster's own storage, same server"),
    Setting("VATSTATS_FEED_URL", "https://status.vatsim.net/status.json",
            "the feed: a status.json URL (data URLs discovered) or a v3 data URL"),
    Setting("VATSTATS_TRANSCEIVERS_TIMEOUT_S", "4", "seconds the transceivers feed (fetched beside the data "
            "feed) may take before the snapshot is stored without it"),
    Setting("VATSTATS_REGION", "vatpac", "which traffic is stored: vatpac, global, or comma-separated boundary "
            "or sector ids from VATSTATS_AIRSPACE_DIR's files (e.g. YMMM,YBBB)"),
    Setting("VATSTATS_PARTITIONS_START", "2021-01-01", "first day of the daily partitions"),
    Setting("VATSTATS_STORE_NAMES", "true", "store members' names (false drops them)"),
    Setting("VATSTATS_RAW_RETENTION_DAYS", "7", "days of compressed raw snapshots kept"),
    Setting("VATSTATS_TRACK_RETENTION_DAYS", "90", "days of track history (flight_positions) kept"),
    Setting("VATSTATS_RUN_RETENTION_DAYS", "7", "days of Dagster runs and event logs kept"),
    Setting("VATSTATS_ALERT_WEBHOOK_URL", "", "a Slack-compatible incoming webhook for failure alerts "
            "(once per incident); empty sends none"),
    Setting("VATSTATS_UI_URL", "http://127.0.0.1:3000", "the Dagster UI as people reach it, for the links in alerts"),
    Setting("VATSTATS_READ_DATABASE_URL", "", "where the read API and exports read (e.g. a read replica); "
            "empty reads the warehouse as the read-only role vatstats_reader"),
    Setting("VATSTATS_READER_PASSWORD", "", "password of the read-only role vatstats_reader; empty makes one "
            "and keeps it in VATSTATS_DATA_DIR/reader-password"),
    Setting("VATSTATS_API_POOL_SIZE", "10", "database connections the read API keeps open"),
    Setting("VATSTATS_API_MAX_OVERFLOW", "10", "extra connections the read API may open at a peak"),
    Setting("VATSTATS_EXPORT_DIR", "", "folder for a Parquet copy of each finished day (daily_exports); "
            "empty turns the export asset off"),
    Setting("VATSTATS_AIRSPACE_DIR", "", "folder of the division's sector files (vatSys Volumes.xml and "
            "Sectors.xml, and/or GeoJSON boundaries); empty turns the airspace assets off"),
)


def _env(name: str, environ: dict[str, str]) -> str:
    default = next(s.default for s in SETTINGS if s.name == name)
    value = environ.get(name, "").strip()
    return value or default


def _positive_int(name: str, environ: dict[str, str]) -> int:
    raw = _env(name, environ)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number of days, not {raw!r}.") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, not {value}.")
    return value


def _count(name: str, environ: dict[str, str], minimum: int) -> int:
    raw = _env(name, environ)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}.")
    return value


def _seconds(name: str, environ: dict[str, str], maximum: float) -> float:
    raw = _env(name, environ)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}.") from None
    # Past the feed's 15 s period a late side feed would hold up the next tick.
    if not 0 < value <= maximum:
        raise SettingsError(f"{name} must be more than 0 and at most {maximum:g} seconds, not {raw}.")
    return value


def _boolean(name: str, environ: dict[str, str]) -> bool:
    raw = _env(name, environ).lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}.")


def validate_http_url(name: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name} must be an http(s) URL with a host, not {url!r}.")
    return url


def _webhook_url(name: str, environ: dict[str, str]) -> str:
    """An http(s) URL or empty; the value is never echoed (a webhook URL is its own password)."""
    url = _env(name, environ)
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.hostname):
        raise SettingsError(f"{name} must be an http(s) URL with a host (the value is a secret: not shown).")
    return url


def validate_database_url(url: str, variable: str = "VATSTATS_DATABASE_URL") -> str:
    """Accept postgresql URLs and pin the psycopg2 driver (SQLAlchemy 2.1 defaults to psycopg 3);
    `variable` is the setting named in the error."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme in ("postgres", "postgresql"):
        url = "postgresql+psycopg2" + url[len(scheme):]
    elif scheme != "postgresql+psycopg2":
        raise SettingsError(
            f"{variable} must start with postgresql:// or postgresql+psycopg2://, "
            f"not {scheme + '://' if scheme else 'nothing'}."
        )
    if not parts.hostname and "host=" not in parts.query:
        raise SettingsError(f"{variable} names no host (add @host:port or ?host=/socket/dir).")
    try:
        parts.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError:
        raise SettingsError(f"{variable} has a port that is not a number.") from None
    return url


def _optional_database_url(name: str, environ: dict[str, str]) -> str | None:
    url = _env(name, environ)
    return validate_database_url(url, name) if url else None


def _optional_dir(name: str, environ: dict[str, str]) -> Path | None:
    raw = _env(name, environ)
    return Path(raw).expanduser().absolute() if raw else None


def _region(name: str, environ: dict[str, str], airspace_dir: Path | None) -> str:
    """vatpac, global, or boundary ids checked against the sector files (read only then)."""
    raw = _env(name, environ)
    if raw.lower() in REGIONS:
        return raw.lower()
    from vatstats_assets.regions import RegionError, region_name

    try:
        return region_name(raw, airspace_dir, setting=name)
    except RegionError as error:
        raise SettingsError(str(error)) from None


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    data_dir: Path
    database_name: str
    dagster_database_name: str
    feed_url: str
    region: str
    partitions_start: date
    store_names: bool
    raw_retention_days: int
    track_retention_days: int
    run_retention_days: int
    # Last, with defaults: code that builds Settings by hand need not name them.
    alert_webhook_url: str = ""
    ui_url: str = "http://127.0.0.1:3000"
    read_database_url: str | None = None
    reader_password: str = ""
    api_pool_size: int = 10
    api_max_overflow: int = 10
    export_dir: Path | None = None
    airspace_dir: Path | None = None
    transceivers_timeout_s: float = 4.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        url = env.get("VATSTATS_DATABASE_URL", "").strip()
        airspace_dir = _optional_dir("VATSTATS_AIRSPACE_DIR", env)
        region = _region("VATSTATS_REGION", env, airspace_dir)
        start_raw = _env("VATSTATS_PARTITIONS_START", env)
        try:
            partitions_start = date.fromisoformat(start_raw)
        except ValueError:
            raise SettingsError(
                f"VATSTATS_PARTITIONS_START must be a date like 2021-01-01, not {start_raw!r}."
            ) from None
        return cls(
            database_url=validate_database_url(url) if url else None,
            data_dir=Path(_env("VATSTATS_DATA_DIR", env)).expanduser().absolute(),
            database_name=_env("VATSTATS_DATABASE_NAME", env),
            dagster_database_name=_env("VATSTATS_DAGSTER_DATABASE_NAME", env),
            feed_url=validate_http_url("VATSTATS_FEED_URL", _env("VATSTATS_FEED_URL", env)),
            region=region,
            partitions_start=partitions_start,
            store_names=_boolean("VATSTATS_STORE_NAMES", env),
            raw_retention_days=_positive_int("VATSTATS_RAW_RETENTION_DAYS", env),
            track_retention_days=_positive_int("VATSTATS_TRACK_RETENTION_DAYS", env),
            run_retention_days=_positive_int("VATSTATS_RUN_RETENTION_DAYS", env),
            alert_webhook_url=_webhook_url("VATSTATS_ALERT_WEBHOOK_URL", env),
            ui_url=validate_http_url("VATSTATS_UI_URL", _env("VATSTATS_UI_URL", env)).rstrip("/"),
            read_database_url=_optional_database_url("VATSTATS_READ_DATABASE_URL", env),
            reader_password=_env("VATSTATS_READER_PASSWORD", env),
            api_pool_size=_count("VATSTATS_API_POOL_SIZE", env, minimum=1),
            api_max_overflow=_count("VATSTATS_API_MAX_OVERFLOW", env, minimum=0),
            export_dir=_optional_dir("VATSTATS_EXPORT_DIR", env),
            airspace_dir=airspace_dir,
            transceivers_timeout_s=_seconds("VATSTATS_TRANSCEIVERS_TIMEOUT_S", env, maximum=15.0),
        )
