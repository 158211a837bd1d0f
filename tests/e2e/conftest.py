"""Real app, real Chromium: one Streamlit server per data folder, started once per session.

Every request that would leave the machine is stopped: tile requests get an empty tile
(so the map still works and the console stays clean), anything else fails the test.
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

from tests.builders import GEO
from tests.e2e.helpers import TIMEOUT_MS, ready_frame, wait_whole_page
from tests.e2e.server import CHROMIUM_ARGS, chromium_launcher, chromium_path, start_app

# Streamlit reruns and the map frame's remount on a shared 2-core CI machine can take
# longer than Playwright's 5 s default; a real failure still fails, only later.
expect.set_options(timeout=TIMEOUT_MS)

LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}
TILE_HOSTS = {"tile.openstreetmap.org", "cyberjapandata.gsi.go.jp"}
# A 1x1 transparent PNG, served in place of every map tile.
EMPTY_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
CHROMIUM = chromium_path()


@pytest.fixture(scope="session")
def serve() -> Iterator:
    """serve(data_dir) -> base URL of a running app on that data (one server per folder)."""
    servers: dict[Path, tuple[str, subprocess.Popen]] = {}

    def start(data: Path) -> str:
        if data not in servers:
            servers[data] = start_app(data)
        return servers[data][0]

    yield start
    for _, process in servers.values():
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if CHROMIUM and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run the README's test command, "
                    "or set KUMAMAP_CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_launcher(tmp_path_factory.mktemp("chromium")),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@dataclass
class Traffic:
    """What the page tried to fetch, and what went wrong in it."""

    tiles: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)
    # The test stops the app's server itself: the page's tries to reach it meanwhile fail.
    server_stops: bool = False


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


def watch(context: BrowserContext, traffic: Traffic, *, block_tiles: bool = False) -> Page:
    """A page of `context` whose requests stay on this machine: tiles get an empty tile (or,
    with `block_tiles`, fail as behind a firewall), anything else fails the test."""

    def route(request_route: Route) -> None:
        url = request_route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:", "file:")) or host in LOOPBACK:
            request_route.continue_()
        elif host in TILE_HOSTS:
            traffic.tiles.append(url)
            if block_tiles:
                request_route.abort()
            else:
                request_route.fulfill(status=200, content_type="image/png", body=EMPTY_TILE)
        else:
            traffic.forbidden.append(url)
            request_route.abort()

    def console(message) -> None:
        # A blocked tile is the point of an offline test, not an error of the page.
        expected = ((block_tiles and "ERR_FAILED" in message.text)
                    or (traffic.server_stops and "ERR_CONNECTION_REFUSED" in message.text))
        if message.type == "error" and not expected:
            traffic.errors.append(f"console: {message.text}")

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: traffic.errors.append(f"pageerror: {error}"))
    page.on("console", console)
    page.on("dialog", lambda dialog: (traffic.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("response", lambda response: traffic.responses.append(
        (response.url, response.headers.get("content-type", ""))))
    return page


def check_traffic(traffic: Traffic) -> None:
    assert not traffic.forbidden, f"requests left the machine: {traffic.forbidden}"
    assert not traffic.dialogs, f"a script ran: {traffic.dialogs}"
    assert not traffic.errors, f"errors in the page: {traffic.errors}"


@pytest.fixture
def page(browser: Browser, traffic: Traffic) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield watch(context, traffic)
    context.close()
    check_traffic(traffic)


@pytest.fixture
def opened(browser: Browser, serve) -> Iterator:
    """opened(viewport, query="", block_tiles=False) -> (page, map frame)."""
    contexts = []

    def open_page(viewport: dict, query: str = "", *, block_tiles: bool = False):
        traffic = Traffic()
        context = browser.new_context(viewport=viewport)
        contexts.append((context, traffic))
        page = watch(context, traffic, block_tiles=block_tiles)
        page.goto(serve(GEO) + query)
        wait_whole_page(page)
        return page, ready_frame(page)

    yield open_page
    for context, traffic in contexts:
        context.close()
        check_traffic(traffic)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives Chromium: `-m e2e` selects them, `-m 'not e2e'` leaves them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
