"""The cluster layers in Chromium: the origin filter draws what the data predicts, a firm's
point opens its details."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kumamap.filters import FilterState, apply_filters
from tests.builders import GEO
from tests.e2e.helpers import (
    DATA,
    MAP_FRAME,
    TIMEOUT_MS,
    choose,
    details,
    open_app,
    ready_frame,
    toggle_layer,
    wait_idle,
)

FIRMS = frozenset({"firms"})
# A firm alone at its point (several firms share a district point).
LONE_FIRM = "firm-hermes-epitek-ozu"
# The map script may still be re-running after a rerun (map_div is the bare div until then).
MAP_READY = """() => window.map_div && typeof window.map_div.eachLayer === "function"
    && window.L && L.MarkerClusterGroup"""
# The points handed to the layers' marker-cluster groups (drawn or grouped, in view or not).
CLUSTERED = """() => {
    let count = 0;
    map_div.eachLayer((layer) => {
        if (layer instanceof L.MarkerClusterGroup) { count += layer.getLayers().length; }
    });
    return count;
}"""


def predicted(**filters) -> int:
    return apply_filters(DATA.layers, FilterState(layer_ids=FIRMS, **filters)).feature_count


def clustered_count(page: Page) -> int:
    return ready_frame(page).evaluate(CLUSTERED)


def expect_clustered(page: Page, count: int) -> None:
    ready_frame(page, f"() => ({MAP_READY})() && ({CLUSTERED})() === {count}")


@pytest.fixture
def with_firms(page, serve):
    open_app(page, serve(GEO))
    toggle_layer(page, "firms")
    return page


def test_origin_filter_draws_the_predicted_firms(with_firms):
    page = with_firms
    expect_clustered(page, predicted())
    choose(page, "origin", "Taiwan")
    expect_clustered(page, predicted(origins=frozenset({"TW"})))
    assert clustered_count(page) < predicted()
    expect(page.locator(".st-key-cluster-summary")).to_contain_text("Taiwan: 13 sites")


def test_a_firm_opens_its_details_on_click(with_firms):
    page = with_firms
    _, firm = DATA.feature(LONE_FIRM)
    # Whole map in view: a click focuses the map, and the page would scroll it under the pointer.
    page.locator(MAP_FRAME).last.evaluate("(frame) => frame.scrollIntoView({block: 'center'})")
    frame = ready_frame(page)
    lon, lat = firm.geometry["coordinates"]
    # Close enough that no group hides it; then click where Leaflet draws it.
    frame.evaluate("([lat, lon]) => map_div.setView([lat, lon], 16, {animate: false})", [lat, lon])
    frame.wait_for_function(
        """(id) => { let found = false; map_div.eachLayer((l) => {
            if (l.feature && l.feature.properties.id === id && l._map) { found = true; } });
            return found; }""", arg=LONE_FIRM, timeout=TIMEOUT_MS)
    point = frame.evaluate("([lat, lon]) => map_div.latLngToContainerPoint([lat, lon])", [lat, lon])
    page.locator(MAP_FRAME).last.click(position=point)
    wait_idle(page)
    panel = details(page)
    expect(panel.locator("h3")).to_have_text(firm.name.en)
    expect(panel).to_contain_text("Taiwan")
    for source in firm.sources:
        expect(panel.locator(f'a[href="{source.url}"]')).to_have_count(1)
