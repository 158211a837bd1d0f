"""Driving the app as a person would: sidebar widgets by key, the sidebar's controls
(layers, filters, year) and the map inside their iframes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Frame, FrameLocator, Locator, Page, expect

from kumamap.catalog import load_catalog
from kumamap.i18n import t
from kumamap.model import Lang
from tests.builders import GEO

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# The sidebar's page controls: layers, filters, the year and its play button.
SWITCH_FRAME = 'iframe[title="kumamap.controls.layer_switch"]'
SHAPES = "#map_div > .leaflet-map-pane > .leaflet-overlay-pane path.leaflet-interactive"  # not the mini-map
TIMEOUT_MS = 30_000
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The map script may still be re-running after a rerun (map_div is the bare div until then).
MAP_READY = "() => window.map_div && typeof window.map_div.eachLayer === 'function'"
DATA = load_catalog(GEO)
# Reads what the reader sees in one go (page_probe.js): switch, map, URL, count, drawn.
PROBE = (Path(__file__).parent / "page_probe.js").read_text(encoding="utf-8")


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the current script run and the map is settled.

    A changed map arrives as a new component frame that replaces the old one; until the
    old one is gone, there are two.
    """
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=TIMEOUT_MS)


def wait_whole_page(page: Page) -> None:
    """Wait for all of a page just opened: the map first, then the part below it, which the
    page asks for by itself once the map has drawn (mapfirst), with the sidebar's widgets,
    each drawn once its code has come (a placeholder until then)."""
    expect(page.get_by_role("tablist")).to_be_attached(timeout=TIMEOUT_MS)
    wait_idle(page)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)


def open_app(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    frame = map_frame(page)
    expect(frame.locator(SHAPES).first).to_be_attached(timeout=TIMEOUT_MS)
    wait_whole_page(page)
    return frame


def map_frame(page: Page) -> FrameLocator:
    """The map's frame. When the base map changes (language, preset), streamlit-folium
    mounts a new component frame; while Streamlit retires the old one, two may be in the
    page for a moment, so take the newest (last) rather than fail on strictness."""
    return page.locator(MAP_FRAME).last.content_frame


def ready_frame(page: Page, condition: str = MAP_READY, arg: Any = None) -> Frame:
    """The newest map frame once `condition` holds in it (by default: Leaflet's map is there).

    A rerun may replace the frame just after the page looks idle; waiting on a frame taken
    at that moment would wait on one that never gets a map. So each try takes the newest
    frame again, and a frame that goes away or stays bare for a few seconds is given up.
    """
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while (remaining_ms := (deadline - time.monotonic()) * 1000) > 0:
        try:
            frame = page.locator(MAP_FRAME).last.element_handle(timeout=remaining_ms).content_frame()
            if frame is not None:
                frame.wait_for_function(condition, arg=arg, timeout=min(remaining_ms, 3_000))
                return frame
        except Error:  # gone, replaced, or still bare: take the newest again
            continue
    raise AssertionError(f"no map frame satisfied {condition} within {TIMEOUT_MS} ms")


def widget(page: Page, key: str) -> Locator:
    return page.locator(f".st-key-{key}")


def expect_shapes(frame: FrameLocator, count: int) -> None:
    expect(frame.locator(SHAPES)).to_have_count(count, timeout=TIMEOUT_MS)


def toggle_checkbox(page: Page, key: str) -> None:
    widget(page, key).locator("label").click()
    wait_idle(page)


def controls(page: Page) -> FrameLocator:
    """The sidebar's page controls (a component frame)."""
    return page.frame_locator(SWITCH_FRAME)


def layer_switch(page: Page, layer_id: str) -> Locator:
    """A layer's checkbox in the sidebar's controls."""
    return controls(page).locator(f'input[data-layer="{layer_id}"]')


def toggle_layer(page: Page, layer_id: str) -> None:
    """Switch a layer in the sidebar, as a person would; the map follows in the browser,
    the server's rerun (counts, table) after."""
    layer_switch(page, layer_id).click()
    wait_idle(page)


def learned(page: Page, before: str) -> None:
    """Wait until the server has learned a filter the browser applied: its run writes
    the filter into the link (the page URL was `before`), then ends."""
    page.wait_for_function("(before) => window.location.href !== before", arg=before,
                           timeout=TIMEOUT_MS)
    wait_idle(page)


def filter_list(page: Page, name: str) -> Locator:
    """One filter's list of choices in the sidebar's controls, opened."""
    details = controls(page).locator(f'details[data-filter="{name}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def choose(page: Page, name: str, option: str) -> None:
    """Tick (or untick) one choice of a filter by its visible text; the map follows at
    once, the server (count, link) after."""
    before = page.url
    filter_list(page, name).get_by_role("checkbox", name=option, exact=True).click()
    learned(page, before)


def type_text(page: Page, text: str) -> None:
    """Type into the filters' "name contains" field, as a person would."""
    before = page.url
    field = controls(page).locator("#text")
    field.fill(text)
    learned(page, before)


def year_slider(page: Page) -> Locator:
    return controls(page).locator("#year")


def play_button(page: Page) -> Locator:
    return controls(page).locator("#play")


def point_at_feature(page: Page, feature_id: str, zoom: int | None = None) -> dict[str, float]:
    """Where a person would point at a drawn feature: on the shape itself, in pixels of the
    map's frame.

    The position comes from Leaflet (the feature's centre in map pixels). The map is
    centred on the feature, at `zoom` if given (near points drawn apart, as a person zooms
    in to click one of them).
    """
    # The whole map in view first: Leaflet focuses the map on mousedown, and a browser
    # scrolls a focused frame into view, which would move the map under the pointer.
    page.locator(MAP_FRAME).last.evaluate("(frame) => frame.scrollIntoView({block: 'center'})")
    frame = ready_frame(page)
    point = frame.evaluate(
        """({id, zoom}) => {
            let found = null;
            map_div.eachLayer((layer) => {
                if (layer.feature && layer.feature.properties.id === id) { found = layer; }
            });
            if (!found) { return null; }
            const latlng = found.getLatLng ? found.getLatLng() : found.getCenter();
            map_div.setView(latlng, zoom === null ? map_div.getZoom() : zoom, {animate: false});
            const p = map_div.latLngToContainerPoint(latlng);
            return {x: p.x, y: p.y};
        }""",
        {"id": feature_id, "zoom": zoom},
    )
    assert point is not None, f"feature {feature_id} is not on the map"
    return point


def click_feature(page: Page, feature_id: str, zoom: int | None = None) -> None:
    """Click a drawn feature where a person would (see `point_at_feature`): a real mouse
    click at that point of the frame, wherever the page has scrolled to by then."""
    page.locator(MAP_FRAME).last.click(position=point_at_feature(page, feature_id, zoom))
    wait_idle(page)


def hover_feature(page: Page, feature_id: str) -> None:
    """Rest the pointer on a drawn feature, as a person would to read its tooltip. It
    comes from outside the map: the tooltip of what it rested on before closes."""
    page.mouse.move(0, 0)
    page.locator(MAP_FRAME).last.hover(position=point_at_feature(page, feature_id))


def details(page: Page) -> Locator:
    """The details panel; its heading (h3) appears once a feature is selected."""
    panel = widget(page, "details")
    expect(panel.locator("h3")).to_be_visible(timeout=TIMEOUT_MS)
    return panel


def server_widget(page: Page, name: str) -> Locator:
    """A widget the server sets (the chapter picker): its key is its name, and a new one
    (`chapter_pick_2`) each time the server sets it; only one is in the page."""
    return page.locator(f'[class*="st-key-{name}"]')


def probe_args(lang: Lang) -> dict[str, Any]:
    """page_probe.js's arguments for a page in `lang` on the real data."""
    return {"switchFrame": SWITCH_FRAME, "mapFrame": MAP_FRAME,
            "layerIds": [layer.id for layer in DATA.layers],
            "defaults": sorted(DATA.default_layer_ids), "shown": t("shown", lang)}


def layers_not_drawn(page: Page, lang: Lang) -> list[str]:
    """Layers that are on in the map but draw none of their own features (each layer on
    must show its features; a picture of the page is only kept when none is missing)."""
    seen = page.evaluate(PROBE, probe_args(lang))
    layer_of = {feature.id: layer.id for layer in DATA.layers for feature in layer.features}
    drawn = {layer_of.get(feature_id) for feature_id in seen["drawn"] or ()}
    return [layer_id for layer_id in seen["mapLayers"] or () if layer_id not in drawn]
