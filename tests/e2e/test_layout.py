"""The map is the page (issue 21): how much of the screen a reader sees as map, one layer
list, and the panel beside the map that opens for details and the story and closes.

The share is measured as a reader sees it: points on a grid over the whole window, each
counted when the topmost thing there is the map itself, not a page element over the
frame and not one of the map's own controls.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.e2e.helpers import (
    LAPTOP,
    MAP_FRAME,
    PHONE,
    SWITCH_FRAME,
    click_feature,
    wait_idle,
    widget,
)

WIDE = {"width": 1440, "height": 900}
# {screen: share of the window that is visible map, share of the map under its controls}
VISIBLE_MAP = """(mapFrame) => {
    const step = 8;
    const frame = [...document.querySelectorAll(mapFrame)].pop();
    const box = frame.getBoundingClientRect();
    let points = 0, map = 0, control = 0;
    for (let y = step / 2; y < innerHeight; y += step) {
        for (let x = step / 2; x < innerWidth; x += step) {
            points += 1;
            if (document.elementFromPoint(x, y) !== frame) { continue; }
            const inside = frame.contentDocument.elementFromPoint(x - box.left, y - box.top);
            if (!inside) { continue; }
            if (inside.closest(".leaflet-control")) { control += 1; }
            else if (inside.closest(".leaflet-container")) { map += 1; }
        }
    }
    return {screen: map / points, controls: control / Math.max(1, map + control)};
}"""


def visible_map(page: Page, frame: Frame, block_tiles: bool) -> dict[str, float]:
    """The shares once the map has its controls, and offline its notice: what a reader
    sees after the page settles."""
    expect(frame.locator(".leaflet-control-zoom")).to_be_visible()
    if block_tiles:
        expect(frame.locator(".kumamap-notice")).to_be_visible()
    return page.evaluate(VISIBLE_MAP, MAP_FRAME)


def frame_box(page: Page) -> dict[str, float]:
    return page.locator(MAP_FRAME).last.bounding_box()


@pytest.mark.parametrize("viewport", [LAPTOP, WIDE], ids=["1280x800", "1440x900"])
@pytest.mark.parametrize("block_tiles", [False, True], ids=["online", "offline"])
def test_the_map_takes_most_of_a_laptop_screen(opened, viewport, block_tiles):
    page, frame = opened(viewport, block_tiles=block_tiles)
    seen = visible_map(page, frame, block_tiles)
    print(f"{viewport['width']}x{viewport['height']} {'offline' if block_tiles else 'online'}: "
          f"visible map {seen['screen']:.1%} of the screen, controls {seen['controls']:.1%} "
          "of the map")
    assert seen["screen"] >= 0.60, seen


@pytest.mark.parametrize("block_tiles", [False, True], ids=["online", "offline"])
def test_on_a_phone_the_whole_map_is_on_the_first_screen_with_small_controls(
        opened, block_tiles):
    page, frame = opened(PHONE, block_tiles=block_tiles)
    box = frame_box(page)
    assert box["y"] + box["height"] <= PHONE["height"], box
    seen = visible_map(page, frame, block_tiles)
    print(f"390x844 {'offline' if block_tiles else 'online'}: visible map {seen['screen']:.1%}"
          f" of the screen, controls {seen['controls']:.1%} of the map")
    assert seen["controls"] <= 0.25, seen
    expect(frame.locator(".leaflet-control-minimap")).to_have_count(0)


def test_each_layer_is_switched_in_one_place(opened):
    page, frame = opened(LAPTOP)
    expect(page.frame_locator(SWITCH_FRAME).locator("input[data-layer]")).to_have_count(12)
    # The map's own controls switch basemaps (radio buttons), never a layer.
    assert frame.locator("input[type=checkbox]").count() == 0


def test_details_open_beside_the_map_and_closing_gives_the_map_its_room(opened):
    page, _ = opened(LAPTOP)
    full = frame_box(page)
    expect(widget(page, "panel")).to_have_count(0)
    click_feature(page, "jasm-fab1")
    panel = widget(page, "panel")
    expect(panel.locator("h3")).to_contain_text("JASM Fab 1")
    beside, narrower = panel.bounding_box(), frame_box(page)
    assert beside["x"] >= narrower["x"] + narrower["width"] - 1, (beside, narrower)
    assert beside["y"] < narrower["y"] + narrower["height"] / 2  # beside, not below the fold
    assert narrower["width"] < full["width"] * 0.85
    widget(page, "close_panel").get_by_role("button", name="Close").click()
    wait_idle(page)
    expect(panel).to_have_count(0)
    assert frame_box(page)["width"] == pytest.approx(full["width"], abs=2)


def test_the_story_reads_beside_the_map(opened):
    page, _ = opened(WIDE, "?chapter=jasm-fab-1")
    panel = widget(page, "panel")
    expect(panel.locator(".st-key-chapter h3")).to_contain_text("JASM Fab 1")
    expect(panel.locator(".st-key-chapter_next button")).to_be_visible()
    assert panel.bounding_box()["x"] >= frame_box(page)["x"] + frame_box(page)["width"] - 1


def test_on_a_phone_the_panel_leaves_the_place_it_is_about_in_sight(opened):
    page, _ = opened(PHONE)
    click_feature(page, "jasm-fab1")
    panel = widget(page, "panel")
    expect(panel.locator("h3")).to_contain_text("JASM Fab 1")
    box = frame_box(page)
    sheet = page.locator('.st-key-stage [data-testid="stColumn"]').last.bounding_box()
    assert box["y"] + box["height"] / 2 < sheet["y"] < box["y"] + box["height"], (sheet, box)
    # The map's centre (where the selection is) is still the map.
    centre = page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 10])
    assert centre == "IFRAME"
