"""The real app on the real data in Chromium: what a reader does, checked against the data."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from kumamap.assets import bundle_version
from kumamap.filters import FilterState, apply_filters
from kumamap.model import Status
from tests.builders import GEO
from tests.e2e.helpers import (
    DATA,
    choose,
    click_feature,
    details,
    expect_shapes,
    hover_feature,
    learned,
    open_app,
    ready_frame,
    toggle_layer,
    type_text,
    wait_idle,
    widget,
    year_slider,
)

DEFAULT = FilterState(layer_ids=DATA.default_layer_ids)
ZONE, LINE, POINT = "jasm-fab1", "rail-hohi-line", "st-haramizu"


def predicted(**changes) -> int:
    """How many shapes the data says the map shows for these filter changes."""
    state = FilterState(**{**DEFAULT.__dict__, **changes})
    return apply_filters(DATA.layers, state).feature_count


@pytest.fixture
def frame(page, serve):
    return open_app(page, serve(GEO))


def test_map_draws_the_default_layers(frame):
    expect_shapes(frame, predicted())


def test_layer_toggle_removes_and_restores_shapes(page, frame):
    without = DEFAULT.layer_ids - {"jasm"}
    toggle_layer(page, "jasm")
    expect_shapes(frame, predicted(layer_ids=without))
    toggle_layer(page, "jasm")
    expect_shapes(frame, predicted())


def test_category_filter(page, frame):
    choose(page, "category", "Semiconductor fab")
    expect_shapes(frame, predicted(categories=frozenset({"fab"})))


def test_status_filter(page, frame):
    choose(page, "status", "planned")
    expect_shapes(frame, predicted(statuses=frozenset({Status.PLANNED})))


def test_year_filter(page, frame):
    slider = year_slider(page)
    slider.focus()
    before = page.url
    page.keyboard.press("Home")  # the earliest year in the data
    learned(page, before)
    first_year = int(slider.get_attribute("aria-valuetext") or "")
    expect_shapes(frame, predicted(year=first_year))


def test_prefecture_filter(page, frame):
    choose(page, "prefecture", "Fukuoka Prefecture")
    expect_shapes(frame, predicted(prefectures=frozenset({"40"})))


def test_text_filter(page, frame):
    type_text(page, "原水")
    expect_shapes(frame, predicted(text="原水"))


@pytest.mark.parametrize("feature_id", [ZONE, LINE, POINT])
def test_click_shows_details_with_sources(page, frame, feature_id):
    layer, feature = DATA.feature(feature_id)
    if not layer.visible:
        toggle_layer(page, layer.id)
    click_feature(page, feature_id)
    panel = details(page)
    expect(panel.locator("h3")).to_have_text(feature.name.en)
    for source in feature.sources:
        expect(panel.locator(f'a[href="{source.url}"]')).to_have_count(1)


def test_language_switch_changes_labels_tooltips_and_details(page, frame):
    _, feature = DATA.feature(ZONE)
    widget(page, "lang").get_by_text("日本語").click()
    wait_idle(page)
    expect(page.get_by_text("レイヤー", exact=True)).to_be_visible()
    expect(frame.locator(".kumamap-legend")).to_contain_text("凡例")
    click_feature(page, ZONE)
    expect(details(page).locator("h3")).to_have_text(feature.name.ja)
    expect(details(page)).to_contain_text("出典")
    # Pointed at again once the panel has opened: the map, narrower since, has moved
    # another feature under the pointer of the click.
    # (The pointer's jump may leave the tooltip of what lay under it open beside it.)
    hover_feature(page, ZONE)
    expect(frame.locator(".leaflet-tooltip", has_text=feature.name.ja)).to_be_visible()


def test_legend_and_attribution_are_visible(frame):
    expect(frame.locator(".kumamap-legend")).to_be_visible()
    attribution = frame.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("OpenStreetMap")
    expect(attribution).to_contain_text("Natural Earth")


def test_leaflet_is_served_locally_with_script_and_style_types(page, frame, traffic):
    """Every script and stylesheet of the map frame comes from the app, with its type;
    Leaflet, its plugins and our scripts as one bundled script and one stylesheet."""
    element = ready_frame(page)
    urls = element.evaluate("""() => [
        ...[...document.querySelectorAll("script[src]")].map((s) => s.src),
        ...[...document.querySelectorAll("link[rel=stylesheet]")].map((l) => l.href)]""")
    paths = [urlsplit(url).path for url in urls]
    bundled = sorted(path.rsplit("/", 1)[-1] for path in paths if "/kumamap.ui.kumamap_bundle/" in path)
    assert bundled == ["kumamap.css", "kumamap.js"], urls
    # Its address changes with its content (a browser may keep it: deploy/nginx.conf.template).
    assert all(f"v={bundle_version()}" in url for url in urls if "kumamap_bundle" in url), urls
    assert element.evaluate("() => typeof L.Control.MiniMap + typeof KumamapBasemap") == "functionobject"
    for url, path in zip(urls, paths, strict=True):
        assert url.startswith("http://127.0.0.1:"), url
        kind = page.request.get(url).headers["content-type"]
        wanted = "javascript" if path.endswith(".js") else "text/css"
        assert wanted in kind, (url, kind)
    assert not traffic.forbidden


