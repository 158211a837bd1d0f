"""The server dies under an open page and a new one takes its place (a replica failing
over, a restart): the page reconnects to a session it has never seen, keeps the reader's
map, and the reader's next action counts (issue 15, failover)."""

import json
import re
import signal
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.builders import MINI
from tests.e2e.helpers import (
    TIMEOUT_MS,
    details,
    expect_shapes,
    layer_switch,
    map_frame,
    open_app,
    toggle_layer,
    wait_idle,
    widget,
)
from tests.e2e.server import free_port, start_app


def layers_in_url(*layer_ids: str) -> re.Pattern:
    """The page URL whose `layers` parameters are exactly these (one each, in order)."""
    return re.compile("".join(f"[?&]layers={layer_id}" for layer_id in layer_ids) + "(&|$)")


@pytest.fixture
def restartable(traffic) -> Iterator[dict]:
    """A server of our own on a fixed port, which the test may kill and start again (while
    it is down, the page's tries to reach it are refused: not errors of the page)."""
    traffic.server_stops = True
    server = {"port": free_port()}
    server["url"], server["process"] = start_app(MINI, port=server["port"])
    yield server
    server["process"].terminate()
    server["process"].wait(timeout=10)


def replace_server(page, restartable: dict) -> None:
    """Kill the page's server (no goodbye) and start a new process on the same address;
    return once the page has reconnected to it."""
    with page.expect_websocket(timeout=TIMEOUT_MS * 2):
        restartable["process"].send_signal(signal.SIGKILL)
        restartable["process"].wait(timeout=10)
        restartable["url"], restartable["process"] = start_app(MINI, port=restartable["port"])


def test_after_the_server_is_replaced_the_next_action_counts(page, restartable):
    open_app(page, f"{restartable['url']}/?lang=ja&sel=st-haramizu")
    toggle_layer(page, "rail")
    expect_shapes(map_frame(page), 5)
    expect(page).to_have_url(layers_in_url("jasm", "rail", "stations"))

    # The server dies; a new process on the same address has no session of this page.
    replace_server(page, restartable)

    # The first action on the new server: the page's own state, not its URL's, is the base.
    toggle_layer(page, "jasm")
    wait_idle(page)
    expect(layer_switch(page, "jasm")).not_to_be_checked()
    expect(layer_switch(page, "rail")).to_be_checked()
    expect_shapes(map_frame(page), 3)  # rail's line and the two stations
    expect(page).to_have_url(layers_in_url("rail", "stations"))
    # The language (a widget) and the selection (from the link) came back with the page.
    expect(details(page).locator("h3")).to_contain_text("原水駅")
    expect(page.locator("h1")).to_contain_text("くまもと分散型サイエンスパーク")


def test_an_upload_lost_with_its_server_is_said_and_its_chip_cleared(page, restartable,
                                                                      tmp_path):
    frame = open_app(page, restartable["url"])
    mine = tmp_path / "mine.geojson"
    mine.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "My site"},
         "geometry": {"type": "Point", "coordinates": [130.8, 32.9]}}]}), encoding="utf-8")
    widget(page, "upload").locator('input[type="file"]').set_input_files(mine)
    wait_idle(page)
    expect_shapes(frame, 5)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("mine.geojson")).to_have_count(1)  # its file chip

    replace_server(page, restartable)

    toggle_layer(page, "jasm")
    wait_idle(page)
    expect(sidebar).to_contain_text("Your layer was on a server that stopped; upload it again.")
    expect(sidebar.get_by_text("mine.geojson")).to_have_count(0)
    expect_shapes(map_frame(page), 2)  # the two stations: jasm is off, the upload gone
    # Uploaded again, it is back, and the notice goes.
    page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(mine)
    wait_idle(page)
    expect_shapes(map_frame(page), 3)
    expect(sidebar).not_to_contain_text("upload it again")
