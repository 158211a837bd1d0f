"""Random sequences of what a reader does, in Chromium on the real data, online and offline.

Each sequence is seeded (a failure names its seed and its actions so far). After every
action, once the page has settled, the sidebar's switch, the map's legend, the URL's
`layers=`, the server's count line and the features drawn must all say what the data
predicts for the reader's actions so far; every point in view must be on top where it is
drawn (a click there reaches it); and no frame may have thrown.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from kumamap.catalog import load_catalog
from kumamap.filters import FilterState, apply_filters
from kumamap.i18n import t
from kumamap.model import Lang
from tests.builders import GEO
from tests.e2e.conftest import Traffic, check_traffic, watch
from tests.e2e.helpers import (
    MAP_FRAME,
    SWITCH_FRAME,
    TIMEOUT_MS,
    click_feature,
    layer_switch,
    open_app,
    wait_idle,
    widget,
)

DATA = load_catalog(GEO)
LAYER_IDS = [layer.id for layer in DATA.layers]
LANGUAGES: dict[Lang, str] = {"en": "English", "ja": "日本語", "zh-TW": "繁體中文"}
ACTIONS_PER_SEQUENCE = 50
# (seed, offline): four sequences, 200 actions in all.
SEQUENCES = [(19, False), (20, False), (21, True), (22, True)]
MAP_READY = """function () { return this.map_div && typeof this.map_div.eachLayer === "function"
    && this.kumamapLayers; }"""
# Feature ids the map holds now: drawn, or handed to a marker-cluster group (drawn as a
# group of points until the reader zooms in).
DRAWN = """() => {
    const ids = new Set();
    map_div.eachLayer((layer) => {
        if (layer.feature && layer.feature.properties.id) { ids.add(layer.feature.properties.id); }
        if (window.L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
            layer.getLayers().forEach((member) => ids.add(member.feature.properties.id));
        }
    });
    return [...ids].sort();
}"""
# Points in view that something other than a point covers at their centre (controls
# aside: they sit above the map by design).
COVERED_POINTS = """() => {
    const points = [];
    map_div.eachLayer((layer) => {
        if (layer instanceof L.CircleMarker && layer._path && layer.feature) { points.push(layer); }
    });
    const paths = new Set(points.map((layer) => layer._path));
    const size = map_div.getSize();
    const covered = [];
    for (const layer of points) {
        const at = map_div.latLngToContainerPoint(layer.getLatLng());
        if (at.x < 2 || at.y < 2 || at.x > size.x - 2 || at.y > size.y - 2) { continue; }
        const box = map_div.getContainer().getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + at.x, box.top + at.y);
        if (!hit || paths.has(hit) || hit.closest(".leaflet-control, .marker-cluster")) { continue; }
        covered.push(layer.feature.properties.id + " under " + hit.tagName + "."
                     + (hit.getAttribute("class") || "") + " in "
                     + ((hit.closest(".leaflet-pane") || {}).className || "no pane"));
    }
    return covered;
}"""


@dataclass
class Reader:
    """What the reader has asked for so far: the model the page must agree with."""

    layers: set[str] = field(default_factory=lambda: set(DATA.default_layer_ids))
    year: int | None = None
    lang: Lang = "en"
    chapter: int = 0

    def predicted_ids(self) -> list[str]:
        state = FilterState(layer_ids=frozenset(self.layers), year=self.year)
        return sorted(apply_filters(DATA.layers, state).ids())

    def all_ids(self) -> list[str]:
        """Every feature the filters allow, on or off: the map holds them all."""
        state = FilterState(layer_ids=frozenset(LAYER_IDS), year=self.year)
        return sorted(apply_filters(DATA.layers, state).ids())


def map_frame(page: Page) -> Frame:
    # A changed base map reloads the frame: wait for one frame with the map ready in it.
    page.wait_for_function(f"""() => {{
        const frames = document.querySelectorAll({MAP_FRAME!r});
        return frames.length === 1 && frames[0].contentWindow
            && ({MAP_READY}).call(frames[0].contentWindow); }}""", timeout=TIMEOUT_MS)
    frames = [frame for frame in page.frames
              if "streamlit_folium" in frame.url and not frame.is_detached()]
    assert len(frames) == 1, f"map frames: {[frame.url for frame in frames]}"
    return frames[0]


def legend_box(page: Page, layer_id: str):
    """A layer's checkbox in the map's legend (rows in the catalog's order)."""
    rows = page.frame_locator(MAP_FRAME).last.locator(".kumamap-legend label.kumamap-legend-row")
    return rows.nth(LAYER_IDS.index(layer_id)).locator("input")


def settle(page: Page) -> None:
    wait_idle(page)
    map_frame(page)


def switch_in_sidebar(page: Page, reader: Reader, rng: random.Random) -> str:
    layer_id = rng.choice(LAYER_IDS)
    layer_switch(page, layer_id).click()
    reader.layers ^= {layer_id}
    return f"sidebar {layer_id}"


def switch_in_legend(page: Page, reader: Reader, rng: random.Random) -> str:
    layer_id = rng.choice(LAYER_IDS)
    legend_box(page, layer_id).click()
    reader.layers ^= {layer_id}
    return f"legend {layer_id}"


def change_year(page: Page, reader: Reader, rng: random.Random) -> str:
    slider = widget(page, "year").get_by_role("slider")
    slider.focus()
    is_earliest = reader.year is None
    page.keyboard.press("Home" if is_earliest else "End")
    settle(page)
    text = slider.get_attribute("aria-valuetext") or slider.inner_text()
    reader.year = int(text) if is_earliest else None
    return f"year {reader.year}"


def step_story(page: Page, reader: Reader, rng: random.Random) -> str:
    count = len(DATA.chapters)
    forward = reader.chapter < count and (reader.chapter <= 1 or rng.random() < 0.6)
    widget(page, "chapter_next" if forward else "chapter_previous").locator("button").click()
    reader.chapter += 1 if forward else -1
    chapter = DATA.chapters[reader.chapter - 1]
    reader.layers = set(chapter.layer_ids)
    reader.year = chapter.year
    return f"chapter {reader.chapter}"


def change_language(page: Page, reader: Reader, rng: random.Random) -> str:
    reader.lang = rng.choice([lang for lang in LANGUAGES if lang != reader.lang])
    widget(page, "lang").get_by_text(LANGUAGES[reader.lang]).click()
    return f"language {reader.lang}"


def click_point(page: Page, reader: Reader, rng: random.Random) -> str:
    """Click a point the reader sees (not one folded into a cluster group)."""
    clustered = {layer.id for layer in DATA.layers if layer.cluster}
    points = [feature_id for feature_id in reader.predicted_ids()
              if DATA.feature(feature_id)[0].id not in clustered
              and DATA.feature(feature_id)[1].geometry["type"] == "Point"]
    if not points:
        return "no point to click"
    feature_id = rng.choice(points)
    click_feature(page, feature_id)
    return f"click {feature_id}"


def go_back(page: Page, reader: Reader, rng: random.Random) -> str:
    """Back in the browser's history; the page keeps its link up to date in place, so back
    leaves it: then forward again, to the page as the reader left it."""
    app = page.url.split("?")[0]
    page.go_back()
    if not page.url.startswith(app):
        page.go_forward()
        return "back and forward"
    return "back"


ACTIONS: list[tuple[Callable[[Page, Reader, random.Random], str], int]] = [
    (switch_in_sidebar, 5), (switch_in_legend, 5), (change_year, 2), (step_story, 2),
    (change_language, 1), (click_point, 3), (go_back, 1),
]


def url_layers(url: str) -> set[str]:
    """The layers a page URL asks for (absent: the catalog's defaults)."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    if "layers" not in query:
        return set(DATA.default_layer_ids)
    return {value for value in query["layers"] if value}


def checked(frame: Frame, selector: str) -> list[bool]:
    return frame.evaluate(f"""() => [...document.querySelectorAll({selector!r})]
        .map((box) => box.checked)""")


def check(page: Page, reader: Reader, traffic: Traffic) -> None:
    """Everything the reader sees agrees with the data for what the reader asked."""
    wanted = [layer_id in reader.layers for layer_id in LAYER_IDS]
    switch = page.locator(SWITCH_FRAME).element_handle().content_frame()
    assert checked(switch, "input[data-layer]") == wanted, "sidebar switch"
    frame = map_frame(page)
    legend = checked(frame, ".kumamap-legend label.kumamap-legend-row input")
    assert legend == wanted, "legend"
    predicted = reader.predicted_ids()
    shown = t("shown", reader.lang)
    expect(page.get_by_text(re.compile(rf"^\d+ {re.escape(shown)}$"))).to_have_text(
        f"{len(predicted)} {shown}")
    drawn = frame.evaluate(DRAWN)
    assert drawn == predicted, (f"drawn but not predicted: {sorted(set(drawn) - set(predicted))}, "
                                f"predicted but not drawn: {sorted(set(predicted) - set(drawn))}")
    assert url_layers(page.url) == reader.layers, page.url
    assert frame.evaluate(COVERED_POINTS) == []
    assert not traffic.errors, traffic.errors


def run_sequence(page: Page, url: str, seed: int, traffic: Traffic) -> None:
    rng = random.Random(seed)
    reader = Reader()
    open_app(page, url)
    done: list[str] = []
    check(page, reader, traffic)
    actions, weights = zip(*ACTIONS)
    for _ in range(ACTIONS_PER_SEQUENCE):
        action = rng.choices(actions, weights)[0]
        before = replace(reader, layers=set(reader.layers))
        done.append(action.__name__)
        try:
            done[-1] = action(page, reader, rng)
            settle(page)
            check(page, reader, traffic)
        except AssertionError as error:
            raise AssertionError(f"seed {seed}, after {done}: {error}\n(before: {before})") from error


@pytest.mark.parametrize(("seed", "offline"), SEQUENCES,
                         ids=[f"{'offline' if offline else 'online'}-{seed}"
                              for seed, offline in SEQUENCES])
def test_random_actions_keep_page_switch_legend_url_and_map_in_step(
        browser: Browser, serve, seed: int, offline: bool) -> None:
    traffic = Traffic()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = watch(context, traffic, block_tiles=offline)
        run_sequence(page, serve(GEO), seed, traffic)
    finally:
        context.close()
    check_traffic(traffic)


def test_points_stay_on_top_after_an_area_layer_is_switched_off_and_on(page: Page, serve) -> None:
    """Defect: switched off and on, the prefectures were drawn above every point."""
    open_app(page, serve(GEO))
    for _ in range(2):
        layer_switch(page, "prefectures").click()
        settle(page)
    expect(layer_switch(page, "prefectures")).to_be_checked()
    assert map_frame(page).evaluate(COVERED_POINTS) == []


def test_offline_cluster_layers_switched_on_later_are_drawn(browser: Browser, serve) -> None:
    """Defect: without tiles the map had no max zoom, which marker clusters need."""
    traffic = Traffic()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = watch(context, traffic, block_tiles=True)
        open_app(page, serve(GEO))
        reader = Reader()
        for layer_id in ("firms", "silicon-island"):
            layer_switch(page, layer_id).click()
            reader.layers.add(layer_id)
            settle(page)
        check(page, reader, traffic)
    finally:
        context.close()
    check_traffic(traffic)
