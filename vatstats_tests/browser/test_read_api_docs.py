"""The read API's OpenAPI docs as a reader sees them, in headless Chromium: every endpoint listed,
nothing fetched from another host, and the screenshot the README shows (docs/screenshots/)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import uvicorn
from playwright.sync_api import Browser, expect

from vatstats_assets.api.app import create_app
from vatstats_assets.settings import Settings
from vatstats_tests.browser.conftest import NEEDS_CHROMIUM, VIEWPORT
from vatstats_tests.browser.test_dagster_ui import SCREENSHOTS

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]

ENDPOINTS = [
    "/v1/network/status", "/v1/network/flights", "/v1/network/controllers",
    "/v1/flights/{cid}/{callsign}/{logon_time}", "/v1/flights/{cid}/{callsign}/{logon_time}/track",
    "/v1/callsigns/{callsign}/flights", "/v1/members/{cid}/flights", "/v1/airports/{airport}/movements",
    "/v1/summaries/movements", "/v1/summaries/airport-hourly", "/v1/summaries/flights",
    "/v1/summaries/controllers", "/v1/summaries/network", "/v1/summaries/sectors", "/v1/coverage/contacts",
    "/v1/coverage/hourly", "/healthz", "/metrics",
]


@pytest.fixture(scope="module")
def api_url(reader_engine: sa.Engine) -> Iterator[str]:
    """The API on uvicorn in a thread of this process, over the test database as vatstats_reader."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(reader_engine, Settings.from_env({})), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="read-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


def test_the_docs_list_every_endpoint_and_load_nothing_from_elsewhere(browser: Browser, api_url: str) -> None:
    context = browser.new_context(viewport={**VIEWPORT, "height": 1600})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{api_url}/docs")
        expect(page.locator(".information-container .title")).to_contain_text("vatstats read API")
        paths = page.locator(".opblock-summary-path")
        expect(paths).to_have_count(len(ENDPOINTS))
        listed = [text.replace("\u200b", "") for text in paths.all_inner_texts()]
        assert sorted(listed) == sorted(ENDPOINTS)
        for tag in ("live network", "flights", "movements", "daily summaries", "operations"):
            expect(page.locator(f"[data-tag='{tag}']")).to_be_visible()
        # One endpoint opened, as a reader would, to show its parameters and answers.
        page.locator(".opblock-summary-path", has_text="/v1/airports/{airport}/movements").click()
        expect(page.locator(".parameters-container").first).to_contain_text("cursor")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "read-api-docs.png", full_page=False)
    finally:
        context.close()
    assert requested and all(url.startswith(api_url) for url in requested), requested
