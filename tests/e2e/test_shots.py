"""Every README picture's scenario, online (tiles answered on this machine) and offline
(tiles refused): in each shot every layer that is on shows its own features."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.builders import GEO
from tests.e2e.conftest import Traffic, check_traffic, watch
from tests.e2e.shots import SCENARIOS, check


@pytest.mark.parametrize("block_tiles", [False, True], ids=["online", "offline"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.run.__name__ for s in SCENARIOS])
def test_every_layer_on_shows_its_features_in_each_shot(browser: Browser, serve, scenario,
                                                        block_tiles):
    traffic = Traffic()
    context = browser.new_context(viewport=scenario.viewport)
    try:
        page = watch(context, traffic, block_tiles=block_tiles)
        scenario.run(page, serve(GEO), check)
    finally:
        context.close()
    check_traffic(traffic)
