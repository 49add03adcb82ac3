from pathlib import Path

import pytest

from vatstats_assets.settings import SETTINGS, Settings, SettingsError

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_documents_every_setting_with_its_default() -> None:
    text = README.read_text()
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "(empty)"
        assert f"| `{setting.name}` | {default} |" in text, setting.name


def test_defaults_need_no_environment_at_all() -> None:
    settings = Settings.from_env({})
    assert settings.database_url is None and settings.region == "vatpac"


def test_a_plain_postgresql_url_is_pinned_to_psycopg2() -> None:
    settings = Settings.from_env({"VATSTATS_DATABASE_URL": "postgresql://u:p@db:5432/x"})
    assert settings.database_url == "postgresql+psycopg2://u:p@db:5432/x"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("VATSTATS_DATABASE_URL", "mysql://db/x", "VATSTATS_DATABASE_URL must start with postgresql"),
        ("VATSTATS_DATABASE_URL", "postgresql:///x", "VATSTATS_DATABASE_URL names no host"),
        ("VATSTATS_DATABASE_URL", "postgresql://db:port/x", "port that is not a number"),
        ("VATSTATS_FEED_URL", "not a url", "VATSTATS_FEED_URL must be an http(s) URL"),
        ("VATSTATS_REGION", "europe", "VATSTATS_REGION must be one of vatpac, global"),
        ("VATSTATS_PARTITIONS_START", "2021-13-01", "VATSTATS_PARTITIONS_START must be a date"),
        ("VATSTATS_RAW_RETENTION_DAYS", "0", "VATSTATS_RAW_RETENTION_DAYS must be at least 1"),
        ("VATSTATS_STORE_NAMES", "maybe", "VATSTATS_STORE_NAMES must be true or false"),
        ("VATSTATS_ALERT_WEBHOOK_URL", "hooks.slack.com/services/T0/B0/X", "VATSTATS_ALERT_WEBHOOK_URL must be an http(s) URL"),
        ("VATSTATS_UI_URL", "dagster:3000", "VATSTATS_UI_URL must be an http(s) URL"),
    ],
)
def test_a_bad_setting_is_named_in_one_sentence(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({variable: value})
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_no_alert_webhook_by_default_and_links_to_the_local_ui() -> None:
    settings = Settings.from_env({})
    assert settings.alert_webhook_url == ""
    assert settings.ui_url == "http://127.0.0.1:3000"


def test_an_alert_webhook_and_the_ui_address_are_taken_as_given() -> None:
    settings = Settings.from_env({"VATSTATS_ALERT_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/X",
                                  "VATSTATS_UI_URL": "https://dagster.example/"})
    assert settings.alert_webhook_url == "https://hooks.slack.com/services/T0/B0/X"
    assert settings.ui_url == "https://dagster.example"


def test_a_bad_alert_webhook_is_refused_without_showing_it() -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"VATSTATS_ALERT_WEBHOOK_URL": "hooks.slack.com/services/T0/B0/SECRET"})
    assert "SECRET" not in str(error.value)


AIRSPACE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "airspace"


def test_the_region_may_name_boundaries_of_the_sector_files_in_any_case() -> None:
    settings = Settings.from_env({"VATSTATS_REGION": "ymmm, YBBB", "VATSTATS_AIRSPACE_DIR": str(AIRSPACE_FIXTURES)})
    assert settings.region == "YMMM,YBBB"
    assert Settings.from_env({"VATSTATS_REGION": "Global"}).region == "global"


def test_unknown_boundary_ids_are_named_with_some_that_exist() -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"VATSTATS_REGION": "YMMM,EGTT", "VATSTATS_AIRSPACE_DIR": str(AIRSPACE_FIXTURES)})
    message = str(error.value)
    assert message.startswith("VATSTATS_REGION names EGTT, which") and "(they define ARL, ARL_E" in message


def test_boundary_ids_without_sector_files_say_to_set_the_folder() -> None:
    with pytest.raises(SettingsError, match="set VATSTATS_AIRSPACE_DIR"):
        Settings.from_env({"VATSTATS_REGION": "YMMM"})
