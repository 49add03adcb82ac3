"""What a user sees in the Dagster UI of `vatstats dev --simulate`, checked in headless Chromium.

Each test opens one page, asserts what a newcomer must find there, and saves the screenshot the
README shows (docs/screenshots/).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from vatstats_tests.browser.conftest import NEEDS_CHROMIUM, LiveUI

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# The asset graph a newcomer must find: every group and the assets in it.
GROUPS = {
    "ingest": ["raw_feed_snapshot", "flights", "atc_positions", "flight_positions"],
    "movements": ["traffic_movements"],
    "summaries": ["movement_summaries", "flight_summaries", "controller_summaries", "network_daily_stats"],
    "status": ["network_status"],
    "maintenance": ["day_partitions_ahead", "warehouse_retention"],
}
# A few steps of the zoom slider past "everything fits", so the graph does not touch the edges.
ZOOM_MARGIN_STEPS = 2
MAX_ZOOM_STEPS = 80


def save(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def graph_fits(canvas: Locator) -> bool:
    """Every node and group box of the graph lies inside the visible canvas."""
    edge = canvas.bounding_box()
    boxes = canvas.locator("foreignObject").evaluate_all(
        "nodes => nodes.map(n => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    return bool(boxes) and all(
        left >= edge["x"] and top >= edge["y"]
        and right <= edge["x"] + edge["width"] and bottom <= edge["y"] + edge["height"]
        for left, top, right, bottom in boxes
    )


def zoom_to_fit(page: Page, canvas: Locator) -> None:
    # The UI opens the expanded graph at a readable zoom, centred; the slider zooms about the centre.
    slider = page.get_by_role("slider")
    for _ in range(MAX_ZOOM_STEPS):
        if graph_fits(canvas):
            break
        slider.press("PageDown")
    for _ in range(ZOOM_MARGIN_STEPS):
        slider.press("PageDown")
    assert graph_fits(canvas), "the asset graph does not fit the window even zoomed out"


def open_expanded_asset_graph(page: Page, url: str) -> Locator:
    page.goto(f"{url}/asset-groups")
    canvas = page.locator("[data-svg-viewport]")
    expect(canvas.locator("foreignObject").first).to_be_visible()
    # The graph's own context menu, as a user would: groups open, then a reload centres the layout.
    height = canvas.bounding_box()["height"]
    canvas.click(button="right", position={"x": 30, "y": height - 30})
    page.get_by_role("menuitem", name="Expand all groups").click()
    page.reload()
    expect(canvas.locator("foreignObject").first).to_be_visible()
    return canvas


def metadata_value(page: Page, key: str) -> Locator:
    """The value cell beside `key` in the metadata table of the selected materialisation."""
    return page.get_by_role("cell", name=key, exact=True).locator("xpath=following-sibling::td[1]")


def expand_sidebar_groups(page: Page) -> None:
    rows = page.locator('[class*="AssetSidebarNode_itemContainer"]')
    for group in GROUPS:
        rows.filter(has_text=re.compile(rf"^{group}")).first.get_by_role("button").first.click()


def test_asset_graph_shows_every_group_and_its_assets(live_ui: LiveUI, page: Page) -> None:
    canvas = open_expanded_asset_graph(page, live_ui.url)
    zoom_to_fit(page, canvas)
    # The graph shows each group as a box; the sidebar lists every asset by its full name (the
    # zoomed-out graph shortens long names).
    expand_sidebar_groups(page)
    for group, assets in GROUPS.items():
        expect(canvas.get_by_text(group, exact=True)).to_be_in_viewport()
        for asset in assets:
            expect(page.get_by_text(asset, exact=True).first).to_be_visible()
    save(page, "asset-graph")


def test_runs_list_shows_successful_ingest_runs_requested_by_the_feed_sensor(live_ui: LiveUI, page: Page) -> None:
    page.goto(f"{live_ui.url}/runs")
    expect(page.get_by_text("ingest_job").first).to_be_visible()
    expect(page.get_by_text("vatsim_feed_sensor").first).to_be_visible()
    expect(page.get_by_text("Success", exact=True).first).to_be_visible()
    save(page, "runs")


def test_flights_page_shows_the_data_dictionary_and_plots_pilots_online(live_ui: LiveUI, page: Page) -> None:
    page.goto(f"{live_ui.url}/assets/flights")
    # The column schema comes from the database's COMMENTs (sql/migrations/004_comments.sql).
    expect(page.get_by_text("Columns", exact=True)).to_be_visible()
    expect(page.get_by_text("The pilot's VATSIM member id.")).to_be_visible()
    expect(page.get_by_text("vatstats.flights", exact=True).first).to_be_visible()
    save(page, "flights-columns")

    page.get_by_role("button", name="Plots").click()
    expect(page.get_by_text("pilots_online", exact=True)).to_be_visible()
    page.wait_for_timeout(1000)  # the charts draw with a short animation, which changes the page's height
    page.get_by_text("Metadata", exact=True).first.evaluate("node => node.scrollIntoView({block: 'start'})")
    expect(page.get_by_text("pilots_online", exact=True)).to_be_in_viewport(ratio=1)
    save(page, "flights")


def test_traffic_movements_partitions_view_shows_todays_partition_materialised(live_ui: LiveUI, page: Page) -> None:
    page.goto(f"{live_ui.url}/assets/traffic_movements?view=partitions&partition={live_ui.today}")
    expect(page.get_by_text(re.compile(r"^Materialized \([1-9]\d*\)$"))).to_be_visible()
    expect(page.get_by_text(live_ui.today, exact=True).first).to_be_visible()
    # The selected day's own materialisation: its figures and its row count. The hour stored before
    # the stack started (todays_traffic) holds dozens of departures.
    expect(metadata_value(page, "departures")).to_have_text(re.compile(r"^\s*[1-9]\d*\s*$"))
    expect(page.get_by_text("dagster/partition_row_count", exact=True)).to_be_attached()
    save(page, "traffic-movements-partitions")
