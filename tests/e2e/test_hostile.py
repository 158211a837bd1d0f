"""Hostile text in every field, loaded in the real browser: nothing runs, all shows literally."""

import pytest
from playwright.sync_api import expect

from tests.builders import HOSTILE_TEXT, HOSTILE_URL, write_hostile
from tests.e2e.helpers import click_feature, details, hover_feature, map_frame, open_app


@pytest.fixture(scope="module")
def hostile_url(serve, tmp_path_factory):
    return serve(write_hostile(tmp_path_factory.mktemp("hostile")))


def assert_no_injected_elements(page):
    for scope in (page, map_frame(page)):
        assert scope.locator('img[src="x"], svg[onload], a[href^="javascript:"]').count() == 0
    assert page.locator("script:text('alert(2)')").count() == 0


def test_hostile_text_is_inert_everywhere(page, hostile_url, traffic):
    frame = open_app(page, hostile_url)
    # The js: source made its feature invalid: it is reported as text, never as a link.
    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error).to_contain_text(f'url is not http(s): "{HOSTILE_URL}"')
    click_feature(page, "hostile")
    panel = details(page)
    expect(panel.locator("h3")).to_have_text(HOSTILE_TEXT)
    expect(panel).to_contain_text('"><svg onload=alert(3)>')
    expect(panel).to_contain_text("$x^2$")
    # Streamlit adds an in-page anchor (#...) to headings; every other link is a source.
    links = panel.locator('a:not([href^="#"])')
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://example.org/source")
    # Tooltip: hover the hostile zone (again, now that the panel has opened and the map
    # is narrower), its name shows literally.
    hover_feature(page, "hostile")
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("<img src=x onerror=alert(1)>")
    expect(tooltip).to_contain_text("${alert(4)}")
    # A category made of markup is offered as plain text in the filter too.
    assert_no_injected_elements(page)
    # conftest asserts afterwards that no dialog (alert) opened and no page error occurred.
