"""Share, find, measure and take away, in Chromium on the real data: the URL round trip,
search flying the map, distance rings, and downloads that are valid files."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from kumamap.filters import apply_filters
from kumamap.i18n import STATUS_NAMES
from kumamap.model import Status
from kumamap.validate import read_layer_features
from tests.e2e.helpers import (
    choose,
    click_feature,
    details,
    expect_shapes,
    map_frame,
    open_app,
    ready_frame,
    toggle_checkbox,
    wait_idle,
    widget,
    year_slider,
)
from tests.e2e.test_map import DATA, DEFAULT, GEO, predicted

STATION = "st-haramizu"


def map_centre(page) -> dict:
    return map_frame(page).locator("#map_div").evaluate(
        "() => ({lat: map_div.getCenter().lat, lon: map_div.getCenter().lng, z: map_div.getZoom()})")


def wait_map_near(page, lat: float, lon: float, tolerance: float = 0.01) -> None:
    """Wait until the map has moved (a flight takes a moment) to within `tolerance` degrees."""
    ready_frame(page, """([lat, lon, tol]) => window.map_div && map_div.getCenter
            && Math.abs(map_div.getCenter().lat - lat) < tol
            && Math.abs(map_div.getCenter().lng - lon) < tol""", arg=[lat, lon, tolerance])


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


def test_a_link_opens_the_same_map_and_keeps_up_with_the_reader(page, serve, browser):
    base = serve(GEO)
    link = f"{base}/?lang=ja&category=station&sel={STATION}&lat=32.9&lon=130.85&z=13"
    frame = open_app(page, link)
    expect(page.get_by_text("レイヤー", exact=True)).to_be_visible()
    expect_shapes(frame, predicted(categories=frozenset({"station"})))
    _, station = DATA.feature(STATION)
    expect(details(page).locator("h3")).to_have_text(station.name.ja)
    centre = map_centre(page)
    # Leaflet rounds the centre to whole pixels: 1e-3 degrees is ~100 m, a pixel at z13 ~20 m.
    assert abs(centre["lat"] - 32.9) < 1e-3 and abs(centre["lon"] - 130.85) < 1e-3
    assert centre["z"] == 13
    # The reader changes a filter: the URL follows, the map view in it stays.
    choose(page, "status", STATUS_NAMES[Status.OPERATING].ja)
    page.wait_for_url("**status=operating**")
    params = query(page)
    assert params["category"] == ["station"] and params["z"] == ["13"]
    # The same URL in a fresh browser shows the same map.
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url
                else route.fulfill(status=200, body=b""))
    try:
        other_frame = open_app(other, page.url)
        expect_shapes(other_frame, predicted(categories=frozenset({"station"}),
                                             statuses=frozenset({Status.OPERATING})))
        expect(details(other).locator("h3")).to_have_text(station.name.ja)
    finally:
        other.context.close()


def test_a_tampered_link_shows_a_notice_and_the_map_still_works(page, serve):
    frame = open_app(page, f"{serve(GEO)}/?status=%3Cimg%20src%3Dx%3E&sel=nope&z=99&zz=1")
    notice = page.locator('[data-testid="stAlertContentWarning"]')
    for part in ("status=<img src=x>", "sel=nope", "z=99", "zz=1"):
        expect(notice).to_contain_text(part)
    expect(page.locator('img[src="x"]')).to_have_count(0)
    expect_shapes(frame, predicted())


def test_find_flies_to_the_place_and_opens_its_details(page, serve):
    open_app(page, serve(GEO))
    _, station = DATA.feature(STATION)
    lon, lat = station.geometry["coordinates"]
    find = widget(page, "find").locator("input")
    find.fill("原水")
    find.press("Enter")
    wait_idle(page)
    expect(details(page).locator("h3")).to_have_text(station.name.en)
    wait_map_near(page, lat, lon)
    expect(details(page)).to_contain_text("Distance from")
    # Pan away, then "show on map" brings it back.
    map_frame(page).locator("#map_div").evaluate("() => map_div.setView([33.5, 130.4], 9, {animate: false})")
    details(page).get_by_role("button").first.click()
    wait_idle(page)
    wait_map_near(page, lat, lon)


def test_the_maps_own_summary_follows_a_selection_made_outside_the_map(page, serve):
    """The summary in the map names what the panel beside it shows: after a click on one
    feature and a find of another, not the one clicked; and none once the panel closes."""
    open_app(page, serve(GEO))
    summary = map_frame(page).locator(".kumamap-summary")
    _, fab = DATA.feature("jasm-fab1")
    click_feature(page, fab.id)
    expect(summary).to_contain_text(fab.name.en)
    _, station = DATA.feature(STATION)
    find = widget(page, "find").locator("input")
    find.fill("原水")
    find.press("Enter")
    expect(details(page).locator("h3")).to_have_text(station.name.en)
    expect(summary).to_contain_text(station.name.en)
    expect(summary).not_to_contain_text(fab.name.en)
    # Closed beside the map, closed in it.
    widget(page, "close_panel").get_by_role("button", name="Close").click()
    expect(page.locator(".st-key-panel")).to_have_count(0)
    expect(summary).to_be_hidden()


def test_distance_rings_are_drawn_without_taking_clicks(page, serve):
    frame = open_app(page, serve(GEO))
    toggle_checkbox(page, "rings")
    rings = frame.locator("path.kumamap-ring")
    expect(rings).to_have_count(4)
    expect(frame.locator(".kumamap-ring-label", has_text="30 km")).to_be_visible()
    expect_shapes(frame, predicted())  # rings are not interactive shapes
    toggle_checkbox(page, "rings")
    expect(rings).to_have_count(0)


def test_downloads_are_valid_files_of_what_is_shown(page, serve, tmp_path, browser):
    open_app(page, serve(GEO))
    choose(page, "category", "Station")
    wanted = apply_filters(DATA.layers, replace(DEFAULT, categories=frozenset({"station"}))).ids()

    with page.expect_download() as download:
        widget(page, "export_geojson").get_by_role("button").click()
    path = tmp_path / "shown.geojson"
    download.value.save_as(path)
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert {f["properties"]["id"] for f in collection["features"]} == wanted
    layer = DATA.layers[0]
    _, problems = read_layer_features(collection, layer, set(), "shown.geojson")
    assert not [p for p in problems if p.code != "outside-bbox"]

    with page.expect_download() as download:
        widget(page, "export_csv").get_by_role("button").click()
    csv_text = download.value.path().read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("layer,name,id,")
    assert len(csv_text.strip().splitlines()) == len(wanted) + 1

    with page.expect_download() as download:
        widget(page, "export_html").get_by_role("button").click()
    html_path = tmp_path / "map.html"
    download.value.save_as(html_path)
    # Opened from disk, offline (the page fixture's rules): the map draws what was shown.
    page.goto(html_path.as_uri())
    # The main map's shapes (not the mini-map's viewport rectangle).
    shapes = page.locator(".folium-map > .leaflet-map-pane > .leaflet-overlay-pane path.leaflet-interactive")
    expect(shapes).to_have_count(len(wanted))


def test_a_language_switch_keeps_today_and_the_next_action_too(page, serve):
    """The year slider's labels are translated: it must not fall back to its first year."""
    open_app(page, serve(GEO))
    widget(page, "lang").get_by_text("日本語").click()
    wait_idle(page)
    choose(page, "status", "計画")
    assert "year=" not in page.url, page.url
    expect(year_slider(page)).to_have_attribute("aria-valuetext", "現在")
    # A second switch, then an action: the year the browser sends with it must still be
    # "today" (it fell back to 1969 when the values were not sent back on the switch).
    widget(page, "lang").get_by_text("繁體中文").click()
    wait_idle(page)
    toggle_checkbox(page, "rings")
    expect(page).to_have_url(re.compile(r"lang=zh-TW.*rings=true|rings=true.*lang=zh-TW"))
    assert "year=" not in page.url, page.url
