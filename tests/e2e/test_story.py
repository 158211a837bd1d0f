"""Story, table and charts below the map in Chromium: chapters move the map and switch its
layers, a table row chosen by keyboard opens the details, the charts draw in every language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Locator, Page, expect

from kumamap.charts import timeline_phases
from kumamap.filters import FilterState, apply_filters
from kumamap.i18n import t
from kumamap.model import LANGS
from kumamap.search import bounds
from kumamap.table import Row, table_rows
from kumamap.tabs import chapter_box
from tests.builders import GEO
from tests.e2e.helpers import (
    DATA,
    MAP_FRAME,
    TIMEOUT_MS,
    details,
    layer_switch,
    open_app,
    ready_frame,
    server_widget,
    wait_idle,
    widget,
)
from tests.e2e.test_instant import COUNT_RENDERS
from tests.e2e.wire import MapSends

# Chapters 3 to 5 (Kumamoto preset, a box around the fabs, the Kumamoto preset again):
# each shows other layers than the one before.
FIRST = 3
CENTER = "() => { const c = map_div.getCenter(); return [c.lat, c.lng]; }"
# Feature ids drawn on the map now (every vector shape and marker of the data layers).
DRAWN = """() => {
    const ids = new Set();
    map_div.eachLayer((layer) => {
        if (layer.feature && layer.feature.properties.id) { ids.add(layer.feature.properties.id); }
    });
    return [...ids].sort();
}"""


def map_frame(page: Page) -> Frame:
    # A changed base map reloads the frame: wait for one frame with the map in it.
    expect(page.locator(MAP_FRAME)).to_have_count(1)
    expect(page.frame_locator(MAP_FRAME).last.locator("#map_div")).to_be_attached()
    return ready_frame(page)


def chapter_center(number: int) -> tuple[float, float]:
    south, west, north, east = chapter_box(DATA.chapters[number - 1], DATA.layers)
    return (south + north) / 2, (west + east) / 2


def chapter_ids(number: int) -> list[str]:
    """The features the map shows in a chapter: its layers, as of its year."""
    chapter = DATA.chapters[number - 1]
    view = apply_filters(DATA.layers, FilterState(layer_ids=frozenset(chapter.layer_ids),
                                                  year=chapter.year))
    return sorted(view.ids())


def expect_chapter(page: Page, number: int) -> None:
    """The page shows chapter `number`, and the map has flown to it and draws its layers."""
    expect(widget(page, "chapter").locator("h3")).to_have_text(
        DATA.chapters[number - 1].title.en)
    lat, lon = chapter_center(number)
    # The flight is animated: wait until the map's centre is the chapter's.
    map_frame(page).wait_for_function(
        f"""() => {{ const c = map_div.getCenter();
            return Math.abs(c.lat - {lat}) < 0.005 && Math.abs(c.lng - {lon}) < 0.005; }}""",
        timeout=TIMEOUT_MS)
    assert map_frame(page).evaluate(DRAWN) == chapter_ids(number)


def pick_chapter(page: Page, number: int) -> None:
    """Jump to a chapter with the picker, by keyboard."""
    label = f"{number}. {DATA.chapters[number - 1].title.en}"
    box = server_widget(page, "chapter_pick").get_by_role("combobox")
    box.click()
    box.press_sequentially(label[:15])
    # Enter chooses the highlighted option: wait until the typing has narrowed the list.
    expect(page.get_by_role("option").first).to_have_text(label)
    box.press("Enter")
    wait_idle(page)


@pytest.fixture
def app(page, serve):
    open_app(page, serve(GEO))
    return page


def test_stepping_through_chapters_moves_the_map_and_switches_layers(app):
    page = app
    before = map_frame(page).evaluate(CENTER)
    pick_chapter(page, FIRST)
    expect_chapter(page, FIRST)
    # Next by keyboard: the button takes focus and Enter presses it.
    widget(page, "chapter_next").locator("button").focus()
    page.keyboard.press("Enter")
    wait_idle(page)
    expect_chapter(page, FIRST + 1)
    assert map_frame(page).evaluate(CENTER) != before
    assert "roads" in DATA.chapters[FIRST].layer_ids  # the box chapter shows the roads
    # The sidebar's layer switch follows the chapter too.
    expect(layer_switch(page, "roads")).to_be_checked()
    expect(layer_switch(page, "stations")).not_to_be_checked()
    widget(page, "chapter_next").locator("button").click()
    wait_idle(page)
    expect_chapter(page, FIRST + 2)
    expect(layer_switch(page, "roads")).not_to_be_checked()
    widget(page, "chapter_previous").locator("button").click()
    wait_idle(page)
    expect_chapter(page, FIRST + 1)
    assert f"chapter={DATA.chapters[FIRST].id}" in page.url


# Set in the map frame's window: a new frame (the whole map sent and drawn anew) has none.
MARK_FRAME = "() => { window.kumamapFrameMark = true; }"
FOUND = "st-haramizu"  # a station: its layer is off in chapter FIRST + 1


def expect_same_map(page: Page, sends: MapSends) -> None:
    """The map frame marked at the start is still the page's, it got no render message
    (each carries the whole map: base map and every feature group), and the server sent
    no map."""
    frame = map_frame(page)
    assert frame.evaluate("() => window.kumamapFrameMark === true"), "a new map frame"
    assert frame.evaluate("() => window.kumamapRenders") == 0
    assert sends.count == 0, f"the server sent the map {sends.count} times"


def test_a_chapter_step_and_a_found_place_move_the_same_map(page, serve):
    """Issue 22: a request of the server (a chapter, a found place) reaches the map through
    the page state and a flight through its own component; the map is not sent again."""
    sends = MapSends(page)
    open_app(page, f"{serve(GEO)}/?chapter={DATA.chapters[FIRST - 1].id}")
    expect_chapter(page, FIRST)
    frame = map_frame(page)
    frame.evaluate(MARK_FRAME)
    frame.evaluate(COUNT_RENDERS)
    sends.count = 0
    for button, number in (("chapter_next", FIRST + 1), ("chapter_previous", FIRST),
                           ("chapter_next", FIRST + 1)):
        widget(page, button).locator("button").click()
        wait_idle(page)
        # Moved there, drawing the chapter's layers in its year; the sidebar follows.
        expect_chapter(page, number)
        expect(layer_switch(page, "roads")).to_be_checked(checked=number == FIRST + 1)
        expect_same_map(page, sends)
    assert "stations" not in DATA.chapters[FIRST].layer_ids
    _, station = DATA.feature(FOUND)
    find = widget(page, "find").locator("input")
    find.fill(station.name.ja)
    find.press("Enter")
    wait_idle(page)
    expect(details(page).locator("h3")).to_have_text(station.name.en)
    lon, lat = station.geometry["coordinates"]
    map_frame(page).wait_for_function(
        f"""() => {{ const c = map_div.getCenter();
            return Math.abs(c.lat - {lat}) < 0.005 && Math.abs(c.lng - {lon}) < 0.005; }}""",
        timeout=TIMEOUT_MS)
    # Its layer is switched on, in the sidebar and in the map.
    expect(layer_switch(page, "stations")).to_be_checked()
    map_frame(page).wait_for_function(
        f"() => ({DRAWN})().includes({FOUND!r})", timeout=TIMEOUT_MS)
    expect_same_map(page, sends)


# In the map frame: ask for flights through the page state as the page's flight component
# does, and count the flights the map starts. The chapter of the opened link was flight 1.
ASK_AGAIN = """() => {
    const asked = JSON.parse(sessionStorage.getItem("kumamap.flight"));
    const started = [];
    const fly = map_div.flyToBounds;
    map_div.flyToBounds = function (bounds) { started.push(bounds); return fly.apply(this, arguments); };
    const next = {session: asked.session, number: asked.number + 1, bounds: [[32.8, 130.7], [32.9, 130.8]]};
    const counts = [];
    KumamapPageState.askFlight(asked);  // the same again: a later run, a reconnected page
    counts.push(started.length);
    KumamapPageState.askFlight({...next, session: "another session", number: 99});
    counts.push(started.length);
    KumamapPageState.askFlight(next);
    counts.push(started.length);
    KumamapPageState.askFlight(next);
    counts.push(started.length);
    return [asked.number, counts];
}"""


def test_each_flight_is_flown_once(page, serve):
    """The page hands the map the session's newest flight on every run, and again when it
    reconnects: the map flies each number of its session once."""
    open_app(page, f"{serve(GEO)}/?chapter={DATA.chapters[FIRST - 1].id}")
    expect_chapter(page, FIRST)
    number, counts = map_frame(page).evaluate(ASK_AGAIN)
    assert number == 1
    assert counts == [0, 0, 1, 1]


def open_table(page: Page) -> Locator:
    """The table's tab opened; its grid (drawn on a canvas, with a table for readers)."""
    page.get_by_role("tab", name=t("tab_table", "en")).click()
    wait_idle(page)
    grid = widget(page, "table").locator('canvas[data-testid="data-grid-canvas"]')
    expect(grid).to_be_visible()
    return grid


def choose_third_row(page: Page, grid: Locator) -> Row:
    """Tab into the grid, move down to the third row and choose it, by keyboard."""
    default = apply_filters(DATA.layers, FilterState(layer_ids=DATA.default_layer_ids))
    grid.focus()
    for key in ("ArrowDown", "ArrowDown", "Shift+Space"):
        page.keyboard.press(key)
    wait_idle(page)
    return table_rows(default, DATA.catalog, "en", {}, None)[2]


def test_a_table_row_chosen_by_keyboard_opens_its_details(app):
    page = app
    grid = open_table(page)
    row = choose_third_row(page, grid)
    expect(details(page).locator("h3")).to_have_text(row.name)
    # The row is marked as the selected feature.
    expect(grid.locator("tr", has_text=row.name)).to_contain_text("●")


def test_a_table_row_moves_the_map_to_its_feature(app):
    page = app
    grid = open_table(page)
    before = map_frame(page).evaluate(CENTER)
    row = choose_third_row(page, grid)
    expect(details(page).locator("h3")).to_have_text(row.name)
    south, west, north, east = bounds(DATA.feature(row.feature_id)[1].geometry)
    # Leaflet fits a box by its centre in map pixels (Mercator) at the zoom it ends on.
    map_frame(page).wait_for_function(
        f"""() => {{
            const zoom = map_div.getZoom();
            const corners = [map_div.project([{south}, {west}], zoom),
                             map_div.project([{north}, {east}], zoom)];
            const wanted = corners[0].add(corners[1]).divideBy(2);
            return wanted.distanceTo(map_div.project(map_div.getCenter(), zoom)) < 3; }}""",
        timeout=TIMEOUT_MS)
    assert map_frame(page).evaluate(CENTER) != before


@pytest.mark.parametrize("lang", LANGS)
def test_charts_draw_marks_in_every_language(page, serve, lang):
    # The language comes from the link: the page opens in it, with the default filters.
    open_app(page, f"{serve(GEO)}/?lang={lang}")
    page.get_by_role("tab", name=t("tab_charts", lang)).click()
    wait_idle(page)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    expect(charts).to_have_count(3)
    timeline = charts.first
    expect(timeline.locator("svg g.mark-rect.role-mark path").first).to_be_attached()
    expect(timeline.locator("svg g.mark-rule.role-mark line")).to_have_count(1)
    expect(timeline.locator("svg g.mark-symbol.role-mark path").first).to_be_attached()
    expect(timeline.locator("svg text", has_text=t("chart_year", lang))).to_have_count(1)
    expect(charts.nth(1).locator("svg g.mark-rect.role-mark path").first).to_be_attached()


def test_choosing_a_timeline_bar_selects_its_feature(app):
    page = app
    page.get_by_role("tab", name=t("tab_charts", "en")).click()
    wait_idle(page)
    bar = page.locator('[data-testid="stVegaLiteChart"]').first.locator(
        "svg g.mark-rect.role-mark path").first
    # The bars are drawn earliest feature first: the first bar is the earliest feature's.
    default = apply_filters(DATA.layers, FilterState(
        layer_ids=DATA.default_layer_ids))
    first = timeline_phases(default, "en", 2100.0)[0]
    bar.click()
    wait_idle(page)
    expect(details(page).locator("h3")).to_have_text(first.name)
