"""The README's pictures as scenarios a reader goes through, each ending in a shot, and the
check every shot must pass. `scripts/screenshot.py` saves them (offline, as behind a
firewall); `test_shots.py` runs the same scenarios online and offline and checks each shot
without saving it.

A shot is checked when every layer that is on shows its own features in the map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from kumamap.model import Lang
from tests.e2e.helpers import (
    LAPTOP,
    PHONE,
    click_feature,
    details,
    layers_not_drawn,
    open_app,
    toggle_layer,
    wait_idle,
    widget,
)

Take = Callable[[Page, str, Lang], None]  # (page, file name, its language)


@dataclass(frozen=True)
class Scenario:
    viewport: dict[str, int]
    run: Callable[[Page, str, Take], None]  # (page, app URL, take)


def at_rest(page: Page) -> None:
    """The page at its top and the pointer off the map (no tooltip over the picture)."""
    page.mouse.move(2, page.viewport_size["height"] - 2)
    page.evaluate("""() => document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')
        .forEach((element) => element.scrollTo(0, 0))""")


def check(page: Page, name: str, lang: Lang) -> None:
    """Fail when a layer that is on draws none of its features."""
    page.wait_for_timeout(1200)  # a flight or the outline's drawing ends; a picture, not a test
    missing = layers_not_drawn(page, lang)
    if missing:
        raise AssertionError(f"{name}: layers on but not drawn: {missing}")


def selected_on_a_laptop(page: Page, url: str, take: Take) -> None:
    open_app(page, url)
    click_feature(page, "jasm-fab1")
    details(page)
    at_rest(page)
    take(page, "screenshot.png", "en")
    # Distance rings, and a place found by name: its details give its distances.
    widget(page, "rings").locator("label").click()
    wait_idle(page)
    find = widget(page, "find").locator("input")
    find.fill("kikuchi")
    find.press("Enter")
    wait_idle(page)
    details(page)
    at_rest(page)
    take(page, "find-and-rings.png", "en")


def kyushu_in_chinese(page: Page, url: str, take: Take) -> None:
    open_app(page, f"{url}/?lang=zh-TW&preset=kyushu")
    toggle_layer(page, "silicon-island")
    toggle_layer(page, "firms")
    take(page, "kyushu-zh-tw.png", "zh-TW")


def story_on_a_laptop(page: Page, url: str, take: Take) -> None:
    open_app(page, f"{url}/?chapter=jasm-fab-1")
    take(page, "story-laptop.png", "en")


def open_tab(page: Page, name: str, content: str) -> None:
    """Open one of the tabs below the map and scroll the page to it once `content` (a
    selector in the tab) has drawn."""
    tab = page.get_by_role("tab", name=name)
    tab.click()
    wait_idle(page)
    page.mouse.move(2, page.viewport_size["height"] - 2)
    expect(page.locator(content).first).to_be_visible()
    tab.evaluate("(element) => element.scrollIntoView({block: 'start'})")


def charts_on_a_laptop(page: Page, url: str, take: Take) -> None:
    open_app(page, url)
    open_tab(page, "Charts", '[data-testid="stVegaLiteChart"]')
    take(page, "charts-laptop.png", "en")


def table_on_a_phone(page: Page, url: str, take: Take) -> None:
    open_app(page, url)
    open_tab(page, "Feature table", '[data-testid="stDataFrame"]')
    take(page, "table-phone.png", "en")


def japanese_on_a_phone(page: Page, url: str, take: Take) -> None:
    open_app(page, f"{url}/?lang=ja")
    take(page, "phone-ja.png", "ja")


SCENARIOS = (
    Scenario(LAPTOP, selected_on_a_laptop),
    Scenario(LAPTOP, kyushu_in_chinese),
    Scenario(LAPTOP, story_on_a_laptop),
    Scenario(LAPTOP, charts_on_a_laptop),
    Scenario(PHONE, japanese_on_a_phone),
    Scenario(PHONE, table_on_a_phone),
)
