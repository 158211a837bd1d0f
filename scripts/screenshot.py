"""Take the README screenshots of the real app in Chromium, offline (no basemap tiles: the
map shows its own outline basemap, as it does behind a firewall).

Run from the repository root after installing the test extra:
`python scripts/screenshot.py` (CJK text needs a CJK font, e.g. Debian's fonts-noto-cjk).
The scenarios are in tests/e2e/shots.py; a shot in which a layer that is on draws none of
its features stops the script: a picture of a map missing a layer must not reach the
README again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.server import CHROMIUM_ARGS, ROOT, chromium_path, start_app  # noqa: E402
from tests.e2e.shots import SCENARIOS, check  # noqa: E402

OUT = ROOT / "docs"


def save(page: Page, name: str, lang: str) -> None:
    """Save the page as docs/<name>, only if every layer that is on shows its features."""
    check(page, name, lang)
    page.screenshot(path=OUT / name)
    print(f"{name}: saved")


def new_page(browser, url: str, viewport: dict) -> Page:
    page = browser.new_page(viewport=viewport)
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith(url) else route.abort())
    return page


def main() -> None:
    url, process = start_app(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "geo")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(),
                                                 args=CHROMIUM_ARGS)
            for scenario in SCENARIOS:
                page = new_page(browser, url, scenario.viewport)
                scenario.run(page, url, save)
                page.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
