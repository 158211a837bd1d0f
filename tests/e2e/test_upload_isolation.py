"""A hostile upload in one session leaves another session working and unaware of it."""

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.builders import MINI
from tests.e2e.conftest import EMPTY_TILE, LOOPBACK, TILE_HOSTS
from tests.e2e.helpers import expect_shapes, open_app, toggle_layer, wait_idle, widget

ERROR = '[data-testid="stAlertContentError"]'
BOMB_MESSAGE = ('roads.zip: member "a.geojson" expands to 50,000,001 bytes, '
                "more than the limit of 50,000,000 bytes")


@pytest.fixture
def other(browser: Browser) -> Iterator[Page]:
    """A second reader: its own browser context (cookies, session), the same offline rules."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    forbidden: list[str] = []

    def route(request_route: Route) -> None:
        url = request_route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            request_route.continue_()
        elif host in TILE_HOSTS:
            request_route.fulfill(status=200, content_type="image/png", body=EMPTY_TILE)
        else:
            forbidden.append(url)
            request_route.abort()

    context.route("**/*", route)
    yield context.new_page()
    context.close()
    assert not forbidden, f"requests left the machine: {forbidden}"


def test_zip_bomb_in_one_session_leaves_the_other_working(page, other, serve, tmp_path):
    url = serve(MINI)
    frame, other_frame = open_app(page, url), open_app(other, url)
    bomb = tmp_path / "roads.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.geojson", b" " * 50_000_001)
    widget(page, "upload").locator('input[type="file"]').set_input_files(bomb)
    # Meanwhile the other reader hides and shows a layer.
    toggle_layer(other, "jasm")
    expect_shapes(other_frame, 2)
    toggle_layer(other, "jasm")
    expect_shapes(other_frame, 4)
    wait_idle(page)
    expect(page.locator(ERROR)).to_contain_text(BOMB_MESSAGE)
    expect_shapes(frame, 4)
    # The uploading session works on, and the other one never saw the upload or its error.
    toggle_layer(page, "jasm")
    expect_shapes(frame, 2)
    expect(other.locator(ERROR)).to_have_count(0)
    expect(other.get_by_text("roads.zip")).to_have_count(0)
    expect_shapes(other_frame, 4)


def test_an_oversize_file_is_refused_before_it_is_sent(page, serve, tmp_path, traffic):
    frame = open_app(page, serve(MINI))
    big = tmp_path / "big.geojson"
    big.write_bytes(b" " * 6_000_000)  # over server.maxUploadSize on every platform
    widget(page, "upload").locator('input[type="file"]').set_input_files(big)
    # Streamlit's own check, from .streamlit/config.toml, in the browser.
    expect(widget(page, "upload")).to_contain_text("File must be 5.0MB or smaller")
    wait_idle(page)
    assert not [url for url, _ in traffic.responses if "/_stcore/upload_file" in url]
    expect_shapes(frame, 4)


# Streamlit's uploader counts its "MB" as 2**20 bytes when navigator.platform says Windows.
AS_WINDOWS = "Object.defineProperty(Navigator.prototype, 'platform', {get: () => 'Win32'});"
POINT = {"type": "Feature", "properties": {"name": "Edge"},
         "geometry": {"type": "Point", "coordinates": [130.8, 32.9]}}


def geojson_of_size(folder: Path, size: int) -> Path:
    """A valid one-point GeoJSON file of exactly `size` bytes."""
    raw = json.dumps({"type": "FeatureCollection", "features": [POINT]}).encode()
    path = folder / f"edge-{size}.geojson"
    path.write_bytes(raw[:-1] + b" " * (size - len(raw)) + raw[-1:])
    return path


@pytest.mark.parametrize("platform", ["Linux", "Windows"])
def test_the_upload_limit_is_5_mb_on_every_platform(page, serve, tmp_path, platform):
    if platform == "Windows":
        page.add_init_script(AS_WINDOWS)
    frame = open_app(page, serve(MINI))
    uploader = widget(page, "upload").locator('input[type="file"]')
    # Under 5 MiB, over 5 MB: refused by the browser on Linux, by the server on Windows,
    # never read.
    uploader.set_input_files(geojson_of_size(tmp_path, 5_235_931))
    wait_idle(page)
    if platform == "Windows":
        expect(page.locator(ERROR)).to_contain_text(
            "edge-5235931.geojson: is 5,235,931 bytes, more than the limit of 5,000,000 bytes")
    else:
        expect(widget(page, "upload")).to_contain_text("File must be 5.0MB or smaller")
    expect_shapes(frame, 4)
    uploader.set_input_files(geojson_of_size(tmp_path, 5_000_000))
    wait_idle(page)
    expect_shapes(frame, 5)  # at the limit: read and drawn
    expect(page.locator(ERROR)).to_have_count(0)
