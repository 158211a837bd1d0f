"""The server dies under an open page and a new one takes its place (a replica failing
over, a restart): the page reconnects to a session it has never seen, keeps the reader's
map, and the reader's next action counts (issue 15, failover)."""

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
)
from tests.e2e.server import free_port, start_app


def layers_in_url(*layer_ids: str) -> re.Pattern:
    """The page URL whose `layers` parameters are exactly these (one each, in order)."""
    return re.compile("".join(f"[?&]layers={layer_id}" for layer_id in layer_ids) + "(&|$)")


@pytest.fixture
def restartable() -> Iterator[dict]:
    """A server of our own on a fixed port, which the test may kill and start again."""
    server = {"port": free_port()}
    server["url"], server["process"] = start_app(MINI, port=server["port"])
    yield server
    server["process"].terminate()
    server["process"].wait(timeout=10)


def test_after_the_server_is_replaced_the_next_action_counts(page, restartable):
    open_app(page, f"{restartable['url']}/?lang=ja&sel=st-haramizu")
    toggle_layer(page, "rail")
    expect_shapes(map_frame(page), 5)
    expect(page).to_have_url(layers_in_url("jasm", "rail", "stations"))

    # The server dies; a new process on the same address has no session of this page.
    with page.expect_websocket(timeout=TIMEOUT_MS * 2):
        restartable["process"].send_signal(signal.SIGKILL)
        restartable["process"].wait(timeout=10)
        restartable["url"], restartable["process"] = start_app(MINI, port=restartable["port"])

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
