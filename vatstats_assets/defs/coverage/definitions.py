"""The coverage domain: atc_contacts, coverage_hourly and their checks."""

import dagster as dg

from vatstats_assets.defs.coverage.contacts import atc_contacts
from vatstats_assets.defs.coverage.contacts_checks import contacts_checks
from vatstats_assets.defs.coverage.hourly import coverage_hourly
from vatstats_assets.defs.coverage.hourly_checks import hourly_checks


def coverage_definitions(partitions: dg.DailyPartitionsDefinition) -> dg.Definitions:
    return dg.Definitions(
        assets=[atc_contacts.build(partitions), coverage_hourly.build(partitions)],
        asset_checks=[*contacts_checks(partitions), *hourly_checks(partitions)],
    )
