"""The ingest tables carry Dagster's freshness policy, with the feed_is_fresh check's limit, and the
instance keeps the freshness daemon on."""

from pathlib import Path

import dagster as dg
import yaml

from vatstats_assets.core.freshness import FRESHNESS_LIMIT
from vatstats_assets.defs.ingest.assets import ingest_snapshot

PROJECT_DAGSTER_YAML = Path(__file__).resolve().parents[2] / "dagster.yaml"
INGEST_TABLES = {"raw_feed_snapshot", "flights", "atc_positions", "flight_positions", "transceiver_tunings"}


def test_every_ingest_table_fails_its_freshness_after_the_checks_limit() -> None:
    policies = {spec.key.to_user_string(): spec.freshness_policy for spec in ingest_snapshot.specs}
    assert set(policies) == INGEST_TABLES
    assert set(policies.values()) == {dg.FreshnessPolicy.time_window(fail_window=FRESHNESS_LIMIT)}


def test_the_project_instance_evaluates_freshness() -> None:
    assert yaml.safe_load(PROJECT_DAGSTER_YAML.read_text())["freshness"] == {"enabled": True}
