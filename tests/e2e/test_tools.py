"""What only the browser shows of the reader's tools: upload, map controls, presets."""

import json

from playwright.sync_api import expect

from tests.builders import HOSTILE_TEXT, MINI
from tests.e2e.helpers import click_feature, details, expect_shapes, open_app, wait_idle, widget

UPLOAD = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": HOSTILE_TEXT},
     "geometry": {"type": "Polygon", "coordinates": [[[130.80, 32.90], [130.81, 32.90],
                                                      [130.81, 32.91], [130.80, 32.90]]]}},
]}


def test_upload_is_drawn_escaped_and_session_only(page, serve, tmp_path, browser):
    url = serve(MINI)
    frame = open_app(page, url)
    expect_shapes(frame, 4)
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps(UPLOAD), encoding="utf-8")
    widget(page, "upload").locator('input[type="file"]').set_input_files(path)
    wait_idle(page)
    expect_shapes(frame, 5)
    click_feature(page, "upload-1")
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(details(page).locator("h3")).to_have_text(HOSTILE_TEXT)
    # Another reader's session does not see it.
    other = browser.new_page()
    other_frame = open_app(other, url)
    expect_shapes(other_frame, 4)
    other.close()


def test_not_geojson_upload_is_named(page, serve, tmp_path):
    frame = open_app(page, serve(MINI))
    path = tmp_path / "notes.json"
    path.write_text("this is not json", encoding="utf-8")
    widget(page, "upload").locator('input[type="file"]').set_input_files(path)
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text(
        "notes.json: is not valid JSON")
    expect_shapes(frame, 4)


def test_map_controls_are_there(page, serve):
    frame = open_app(page, serve(MINI))
    expect(frame.locator(".leaflet-control-zoom-fullscreen")).to_be_visible()
    expect(frame.locator(".leaflet-control-measure")).to_be_visible()
    expect(frame.locator(".leaflet-control-minimap")).to_be_visible()
    expect(frame.locator(".leaflet-control-scale")).to_be_visible()


def test_map_view_lives_in_the_url_and_the_copy_link(page, serve):
    frame = open_app(page, serve(MINI))
    frame.locator("#map_div").evaluate("() => map_div.setView([32.95, 130.7], 11, {animate: false})")
    page.wait_for_url("**z=11**")
    assert "lat=32.95000" in page.url and "lon=130.70000" in page.url
    frame.locator(".kumamap-copy-link a").click()
    expect(frame.locator(".kumamap-copy-link input")).to_have_value(page.url)


def test_a_notice_above_the_map_keeps_the_map_as_it_is(page, serve, tmp_path):
    frame = open_app(page, serve(MINI))
    frame.locator("#map_div").evaluate(
        "() => { map_div.setView([32.95, 130.7], 11, {animate: false}); window.kept = true; }")
    path = tmp_path / "notes.json"
    path.write_text("this is not json", encoding="utf-8")
    widget(page, "upload").locator('input[type="file"]').set_input_files(path)
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text("notes.json")
    # The same map frame, where the reader left it: a notice that moved the map down the
    # page would make Streamlit draw a new frame at the preset view.
    frames = page.locator('iframe[title="streamlit_folium.st_folium"]')
    expect(frames).to_have_count(1)
    assert frames.first.content_frame.locator("#map_div").evaluate(
        "() => [window.kept === true, map_div.getZoom()]") == [True, 11]
