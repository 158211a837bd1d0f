"""Take the README screenshots of the real app in Chromium, offline (no basemap tiles: the
map shows its own outline basemap, as it does behind a firewall).

Run from the repository root after installing the test extra:
`python scripts/screenshot.py` (CJK text needs a CJK font, e.g. Debian's fonts-noto-cjk).
A shot whose map shows no drawn feature inside its visible frame stops the script: a
picture of an empty map must not reach the README again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.helpers import (  # noqa: E402
    click_feature,
    details,
    map_frame,
    open_app,
    toggle_layer,
    wait_idle,
    widget,
)
from tests.e2e.server import CHROMIUM_ARGS, ROOT, chromium_path, start_app  # noqa: E402

OUT = ROOT / "docs"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Features Leaflet has drawn whose shape lies at least partly inside the visible map.
IN_VIEW = """() => {
    const view = map_div.getBounds();
    let count = 0;
    map_div.eachLayer((layer) => {
        if (!layer.feature) { return; }
        const box = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
        if (view.intersects(box)) { count += 1; }
    });
    return count;
}"""


def shoot(page: Page, name: str) -> None:
    """Save the page as docs/<name>, only if its map shows something."""
    frame = map_frame(page).locator("#map_div")
    page.wait_for_timeout(1200)  # let a flight or the outline's drawing end; a picture, not a test
    shown = frame.evaluate(IN_VIEW)
    if not shown:
        raise SystemExit(f"{name}: the map shows no feature inside its frame; not saved")
    page.screenshot(path=OUT / name)
    print(f"{name}: {shown} features in view")


def new_page(browser, url: str, viewport: dict) -> Page:
    page = browser.new_page(viewport=viewport)
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith(url) else route.abort())
    return page


def laptop_shots(browser, url: str) -> None:
    page = new_page(browser, url, LAPTOP)
    open_app(page, url)
    click_feature(page, "jasm-fab1")
    details(page)
    shoot(page, "screenshot.png")
    # Distance rings, and a place found by name: its details give its distances.
    widget(page, "rings").locator("label").click()
    wait_idle(page)
    find = widget(page, "find").locator("input")
    find.fill("kikuchi")
    find.press("Enter")
    wait_idle(page)
    details(page)
    shoot(page, "find-and-rings.png")
    page.close()
    page = new_page(browser, url, LAPTOP)
    open_app(page, f"{url}/?lang=zh-TW&preset=kyushu")
    toggle_layer(page, "silicon-island")
    toggle_layer(page, "firms")
    shoot(page, "kyushu-zh-tw.png")
    page.close()


def phone_shot(browser, url: str) -> None:
    page = new_page(browser, url, PHONE)
    open_app(page, f"{url}/?lang=ja")
    shoot(page, "phone-ja.png")
    page.close()


def main() -> None:
    url, process = start_app(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "geo")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(),
                                                 args=CHROMIUM_ARGS)
            laptop_shots(browser, url)
            phone_shot(browser, url)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
