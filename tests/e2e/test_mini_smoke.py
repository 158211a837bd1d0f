"""Smoke test of the browser harness on the small test catalog."""

from playwright.sync_api import expect

from tests.builders import MINI
from tests.e2e.helpers import click_feature, details, expect_shapes, open_app, toggle_layer


def test_map_draws_toggles_and_clicks(page, serve, traffic):
    frame = open_app(page, serve(MINI))
    expect_shapes(frame, 4)
    toggle_layer(page, "rail")
    expect_shapes(frame, 5)
    click_feature(page, "jasm-fab1")
    panel = details(page)
    expect(panel.locator("h3")).to_have_text("JASM Fab 1")
    expect(panel.get_by_role("link", name="TSMC, Sony announce Kumamoto fab")).to_have_attribute(
        "href", "https://www.taiwannews.com.tw/news/4341008")
    assert traffic.tiles, "tiles were requested (and answered locally)"
