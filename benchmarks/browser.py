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
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route, WebSocket
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import EMPTY_TILE, LOOPBACK, TILE_HOSTS
from tests.e2e.helpers import MAP_FRAME, SWITCH_FRAME, widget

# The sidebar's controls, and the same switch as declared before they held the filters
# (kumamap at an earlier checkout, measured with --before).
ANY_SWITCH_FRAME = f'{SWITCH_FRAME}, iframe[title="kumamap.sidebar.layer_switch"]'

# kumamap's text field in its sidebar controls' frame, or a Streamlit text input's.
TEXT_FIELD = """([frame]) => {
    const controls = document.querySelector(frame);
    let inFrame = null;
    try { inFrame = controls && controls.contentDocument.querySelector("#text"); } catch (e) {}
    return !!inFrame || !!document.querySelector(".st-key-text input");
}"""
WAIT_MS = 180_000  # the baseline with 10,000 features takes tens of seconds per rerun
LOCATE_ATTEMPTS = 5
QUIET_S = 0.5  # settled: no websocket frame for this long (a rerun may follow an action)
# folium's CDN files that have a local copy; every other outside file gets an empty body.
LEAFLET_CDN = re.compile(r"/leaflet@[\d.]+/dist/?(?P<file>[\w./-]+)$")
JQUERY = Path("/usr/share/javascript/jquery/jquery.min.js")  # Debian's libjs-jquery, if there

# Features on the main map (not the mini-map), counted by Leaflet, so SVG paths, canvas
# shapes and marker icons count alike: one per feature layer, one per point of a
# MultiPoint (Leaflet makes it a group). A layer switched off is off the map. While a new
# map replaces the old one there are two map frames: that is not a drawn map yet. -1: no
# map yet.
COUNT_FEATURES = """(frame) => {
    const frames = document.querySelectorAll(frame);
    const map = frames.length === 1 && frames[0].contentWindow
        && frames[0].contentWindow.map_div;
    if (!map || typeof map.eachLayer !== "function") { return -1; }
    let count = 0;
    map.eachLayer((layer) => {
        if (layer.feature) { count += layer.getLayers ? layer.getLayers().length : 1; }
    });
    return count;
}"""
MAP_SHOWS = f"""([frame, expected, atLeast]) => {{
    const count = ({COUNT_FEATURES})(frame);
    return atLeast ? count >= expected : count === expected;
}}"""
# Text shown in an element of the page, or of the (newest) map frame.
SHOWS_TEXT = """([frame, selector, text]) => {
    let doc = document;
    if (frame) {
        const frames = document.querySelectorAll(frame);
        doc = frames.length > 0 && frames[frames.length - 1].contentDocument;
    }
    const found = doc && doc.querySelector(selector);
    return Boolean(found) && !found.hidden && found.textContent.includes(text);
}"""
IDLE = """(frame) => {
    const app = document.querySelector('[data-testid="stApp"]');
    return Boolean(app) && app.dataset.testScriptState === "notRunning"
        && document.querySelectorAll(frame).length === 1;
}"""
# The (newest) map frame's map is centred within `tolerance` degrees of (lat, lon): a
# flight has ended there.
CENTRED = """([frame, lat, lon, tolerance]) => {
    const frames = document.querySelectorAll(frame);
    const map = frames.length === 1 && frames[0].contentWindow
        && frames[0].contentWindow.map_div;
    if (!map || typeof map.getCenter !== "function") { return false; }
    const centre = map.getCenter();
    return Math.abs(centre.lat - lat) < tolerance && Math.abs(centre.lng - lon) < tolerance;
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


def wait_for_map(page: Page, expected: int, at_least: bool = False) -> None:
    """Until the map shows `expected` features (or at least that many)."""
    page.wait_for_function(MAP_SHOWS, arg=[MAP_FRAME, expected, at_least], polling="raf",
                           timeout=WAIT_MS)


def wait_for_centre(page: Page, lat: float, lon: float, tolerance: float = 0.005) -> None:
    """Until the map has flown to (lat, lon) and stays there."""
    page.wait_for_function(CENTRED, arg=[MAP_FRAME, lat, lon, tolerance], polling="raf",
                           timeout=WAIT_MS)


def map_count(page: Page) -> int:
    return page.evaluate(COUNT_FEATURES, MAP_FRAME)


def wait_for_text(page: Page, selector: str, text: str, in_map: bool = False) -> None:
    """Until `selector` (in the page, or in the map frame) is shown and holds `text`."""
    page.wait_for_function(SHOWS_TEXT, arg=[MAP_FRAME if in_map else None, selector, text],
                           polling="raf", timeout=WAIT_MS)


class Socket:
    """The page's websocket: sizes of the messages that carry the map component, and when
    the last frame went either way (to know that a rerun is over)."""

    def __init__(self, page: Page) -> None:
        self.map_sizes: list[int] = []
        self.last_frame = time.perf_counter()
        page.on("websocket", self._on_socket)

    def _on_socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._on_received)
        socket.on("framesent", self._on_sent)

    def _on_sent(self, _payload: str | bytes) -> None:
        self.last_frame = time.perf_counter()

    def _on_received(self, payload: str | bytes) -> None:
        self.last_frame = time.perf_counter()
        raw = payload if isinstance(payload, bytes) else payload.encode()
        if b"streamlit_folium" in raw:
            self.map_sizes.append(len(raw))


def settle(page: Page, socket: Socket) -> None:
    """Until the script run is over, one map frame is left and the websocket has been
    quiet for QUIET_S: a rerun may start only after the action's own effect is shown (a
    switched layer, a click's 250 ms debounce), so "not running" alone is not enough."""
    deadline = time.perf_counter() + WAIT_MS / 1000
    while True:
        page.wait_for_function(IDLE, arg=MAP_FRAME, polling=50, timeout=WAIT_MS)
        quiet = time.perf_counter() - socket.last_frame
        if quiet >= QUIET_S and page.evaluate(IDLE, MAP_FRAME):
            return
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the page did not settle within {WAIT_MS / 1000:.0f} s")
        page.wait_for_timeout(max(50, (QUIET_S - quiet) * 1000))  # lets events arrive


def timed(page: Page, socket: Socket, action: Callable[[], None],
          *until: Callable[[], None]) -> list[float]:
    """Seconds from the start of `action` until each of `until` has returned (in turn);
    then let the app settle."""
    start = time.perf_counter()
    action()
    seconds = []
    for wait in until:
        wait()
        seconds.append(time.perf_counter() - start)
    settle(page, socket)
    return seconds


def click_at(page: Page, target: Locator) -> Callable[[], None]:
    """A real mouse click on the centre of `target`, to be timed; it is found (and
    scrolled to) beforehand, so the time is the app's, not Playwright's locating.
    (kumamap's switch frame draws its checkboxes anew on every script run: one found
    just before a late redraw is gone, so it is looked up again.)"""
    for attempt in range(LOCATE_ATTEMPTS):
        try:
            target.scroll_into_view_if_needed(timeout=WAIT_MS)
            box = target.bounding_box(timeout=WAIT_MS)
            break
        except PlaywrightError as error:
            if "not attached" not in str(error) or attempt == LOCATE_ATTEMPTS - 1:
                raise
            page.wait_for_timeout(100)
    if box is None:
        raise RuntimeError(f"{target} is not shown")
    return lambda: page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def checkbox(page: Page, layer_id: str) -> Locator:
    """The baseline's switch: a Streamlit checkbox (its label takes the click)."""
    return widget(page, f"layer_{layer_id}").locator("label")


def switch(page: Page, layer_id: str) -> Locator:
    """kumamap's switch: a checkbox in the sidebar's component frame."""
    return page.frame_locator(ANY_SWITCH_FRAME).locator(f'input[data-layer="{layer_id}"]')


def search(page: Page, text: str) -> Callable[[], None]:
    """The timed action of a name filter. In kumamap's sidebar controls the map follows
    what is typed at once: the action is typing `text`. In a Streamlit text input (the
    baseline, kumamap before issue 22) it is typed beforehand, and the action is the Enter
    that sends it."""
    # The sidebar may still be on its way (kumamap draws it in its second run): wait for
    # one of the two fields, then see which it is.
    page.wait_for_function(TEXT_FIELD, arg=[SWITCH_FRAME], timeout=WAIT_MS)
    field = page.frame_locator(SWITCH_FRAME).locator("#text")
    if field.count():
        return lambda: field.fill(text, timeout=WAIT_MS)
    widget(page, "text").locator("input").fill(text, timeout=WAIT_MS)
    return lambda: page.keyboard.press("Enter")


def click_on_feature(page: Page, feature_id: str) -> Callable[[], None]:
    """A click on the feature's centre, to be timed; its position is found beforehand."""
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    point = frame.evaluate(FEATURE_POINT, feature_id)
    if point is None:
        raise RuntimeError(f"feature {feature_id} is not on the map")
    box = page.locator(MAP_FRAME).bounding_box()
    return lambda: page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
