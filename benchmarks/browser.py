"""Drive a running app in Chromium, offline, and time what a reader waits for.

A time runs from just before the action to the first animation frame in which the page
shows the result (`wait_for_function(..., polling="raf")`), measured in this process.
"""

from __future__ import annotations

import mimetypes
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import xstatic.pkg.leaflet
from playwright.sync_api import Browser, BrowserContext, Page, Route, WebSocket

from tests.e2e.conftest import EMPTY_TILE, LOOPBACK, TILE_HOSTS
from tests.e2e.helpers import MAP_FRAME, SHAPES, widget

WAIT_MS = 180_000  # the baseline with 10,000 features takes tens of seconds per rerun
# What the map draws: vector paths, and the baseline's default marker icons for points.
DRAWN = f"{SHAPES}, #map_div > .leaflet-map-pane > .leaflet-marker-pane > .leaflet-marker-icon"
# folium's CDN files that have a local copy; every other outside file gets an empty body.
LEAFLET_CDN = re.compile(r"/leaflet@[\d.]+/dist/?(?P<file>[\w./-]+)$")
JQUERY = Path("/usr/share/javascript/jquery/jquery.min.js")  # Debian's libjs-jquery, if there

MAP_SHOWS = """([frame, drawn, expected]) => {
    const frames = document.querySelectorAll(frame);  // two while a new map replaces the old
    const doc = frames.length === 1 && frames[0].contentDocument;
    return Boolean(doc) && doc.querySelectorAll(drawn).length === expected;
}"""
DETAILS_SHOW = """(text) => {
    const panel = document.querySelector(".st-key-details");
    return Boolean(panel) && panel.textContent.includes(text);
}"""
IDLE = """(frame) => {
    const app = document.querySelector('[data-testid="stApp"]');
    return Boolean(app) && app.dataset.testScriptState === "notRunning"
        && document.querySelectorAll(frame).length === 1;
}"""
# Where a person would click a feature: its centre, in pixels of the map iframe.
FEATURE_POINT = """(id) => {
    let found = null;
    map_div.eachLayer((layer) => {
        if (layer.feature && layer.feature.properties.id === id) { found = layer; }
    });
    if (!found) { return null; }
    const centre = found.getLatLng ? found.getLatLng() : found.getCenter();
    const p = map_div.latLngToContainerPoint(centre);
    return {x: p.x, y: p.y};
}"""


def local_asset(url: str) -> Path | None:
    """A local copy of a CDN file folium asks for, if this machine has one."""
    if match := LEAFLET_CDN.search(urlsplit(url).path):
        # Leaflet guesses its marker images' folder from the stylesheet link; it may
        # leave out "images/" (".../distmarker-icon.png").
        folder = Path(xstatic.pkg.leaflet.BASE_DIR)
        candidates = (folder / match["file"], folder / "images" / match["file"])
        return next((path for path in candidates if path.is_file()), None)
    if urlsplit(url).hostname == "code.jquery.com" and JQUERY.is_file():
        return JQUERY
    return None


@dataclass
class Offline:
    """Routes every request that would leave the machine; remembers those served empty."""

    stubbed: set[str] = field(default_factory=set)

    def route(self, route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        elif host in TILE_HOSTS:
            route.fulfill(status=200, content_type="image/png", body=EMPTY_TILE)
        elif path := local_asset(url):
            route.fulfill(path=path)
        else:
            self.stubbed.add(url)
            kind = mimetypes.guess_type(urlsplit(url).path)[0] or "text/plain"
            route.fulfill(status=200, content_type=kind, body=b"")


@contextmanager
def offline_context(browser: Browser, offline: Offline) -> Iterator[BrowserContext]:
    """One context per app: its pages share the browser cache, as a returning reader's do."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", offline.route)
    try:
        yield context
    finally:
        context.close()


def wait_for_map(page: Page, expected: int) -> None:
    page.wait_for_function(MAP_SHOWS, arg=[MAP_FRAME, DRAWN, expected], polling="raf",
                           timeout=WAIT_MS)


def wait_for_details(page: Page, text: str) -> None:
    page.wait_for_function(DETAILS_SHOW, arg=text, polling="raf", timeout=WAIT_MS)


def settle(page: Page) -> None:
    """Until the script run is over and one map frame is left (reruns may follow a change)."""
    page.wait_for_function(IDLE, arg=MAP_FRAME, polling=50, timeout=WAIT_MS)


def timed(page: Page, action: Callable[[], None], until: Callable[[], None]) -> float:
    """Seconds from the start of `action` until `until` returns; then let the app settle."""
    start = time.perf_counter()
    action()
    until()
    seconds = time.perf_counter() - start
    settle(page)
    return seconds


def watch_map_messages(page: Page) -> list[int]:
    """Byte sizes of the websocket messages that carry the map component, as they arrive."""
    sizes: list[int] = []

    def on_frame(payload: str | bytes) -> None:
        raw = payload if isinstance(payload, bytes) else payload.encode()
        if b"streamlit_folium" in raw:
            sizes.append(len(raw))

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    return sizes


def toggle(page: Page, layer_id: str) -> None:
    widget(page, f"layer_{layer_id}").locator("label").click()


def search(page: Page, text: str) -> None:
    box = widget(page, "text").locator("input")
    box.fill(text)
    box.press("Enter")


def click_on_feature(page: Page, feature_id: str) -> Callable[[], None]:
    """A click on the feature's centre, to be timed; its position is found beforehand."""
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    point = frame.evaluate(FEATURE_POINT, feature_id)
    if point is None:
        raise RuntimeError(f"feature {feature_id} is not on the map")
    box = page.locator(MAP_FRAME).bounding_box()
    return lambda: page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
