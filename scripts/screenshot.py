"""Take the README screenshots of the real app in Chromium (offline: no basemap tiles).

Run from the repository root after installing the test extra:
`python scripts/screenshot.py` (CJK text needs a CJK font, e.g. Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.helpers import (  # noqa: E402
    SHAPES,
    click_feature,
    details,
    map_frame,
    open_app,
    wait_idle,
    widget,
)
from tests.e2e.server import CHROMIUM_ARGS, ROOT, chromium_path, start_app  # noqa: E402

OUT = ROOT / "docs"


def main() -> None:
    url, process = start_app(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "geo")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(url) else route.abort())
            open_app(page, url)
            click_feature(page, "jasm-fab1")
            details(page)
            page.screenshot(path=OUT / "screenshot.png")
            # Distance rings, and a place found by name: its details give its distances.
            widget(page, "rings").locator("label").click()
            wait_idle(page)
            find = widget(page, "find").locator("input")
            find.fill("kikuchi")
            find.press("Enter")
            wait_idle(page)
            details(page)
            page.wait_for_timeout(1500)  # let the flight end; a picture, not a test
            map_frame(page).locator("#map_div").evaluate(
                "() => map_div.setView([32.93, 130.80], 10, {animate: false})")
            page.screenshot(path=OUT / "find-and-rings.png")
            widget(page, "rings").locator("label").click()
            wait_idle(page)
            widget(page, "lang").get_by_text("繁體中文").click()
            wait_idle(page)
            widget(page, "preset").get_by_text("九州").click()
            wait_idle(page)
            expect(map_frame(page).locator(SHAPES).first).to_be_attached()
            page.screenshot(path=OUT / "kyushu-zh-tw.png")
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
