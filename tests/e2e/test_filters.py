"""Every filter in the browser (issue 22): the map hides, shows and restyles the features it
holds, as the server's filters (filters.apply_filters) say, without being sent again; the
server learns the filters after (count, link); ▶ plays the years."""

from __future__ import annotations

from dataclasses import replace

from playwright.sync_api import Frame, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kumamap.filters import FilterState, apply_filters
from kumamap.i18n import t
from kumamap.model import Status
from kumamap.ui import year_options
from tests.builders import GEO
from tests.e2e.helpers import (
    DATA,
    SWITCH_FRAME,
    TIMEOUT_MS,
    choose,
    learned,
    open_app,
    play_button,
    ready_frame,
    type_text,
    wait_idle,
    widget,
    year_slider,
)
from tests.e2e.test_instant import COUNT_RENDERS

DEFAULT = FilterState(layer_ids=DATA.default_layer_ids)
# The ids the map holds (drawn, or in a marker cluster group) and each one's style key.
DRAWN = """() => {
    const drawn = {};
    map_div.eachLayer((layer) => {
        if (layer.feature) { drawn[layer.feature.properties.id] = layer.feature.styleKey; }
        if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
            layer.getLayers().forEach((member) => {
                drawn[member.feature.properties.id] = member.feature.styleKey;
            });
        }
    });
    return drawn;
}"""


def drawn(map_window: Frame) -> dict[str, str]:
    return map_window.evaluate(DRAWN)


def expect_drawn(map_window: Frame, state: FilterState) -> None:
    """The map holds exactly what apply_filters shows, each with the status of the year."""
    view = apply_filters(DATA.layers, state)
    wanted = {shown.feature.id: shown.status.value for lv in view.layers for shown in lv.shown}
    try:
        map_window.wait_for_function(
            "([read, ids]) => JSON.stringify(Object.keys(eval(read)()).sort()) === JSON.stringify(ids)",
            arg=[DRAWN, sorted(wanted)], timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        held = set(drawn(map_window))
        raise AssertionError(f"held but hidden: {sorted(held - set(wanted))}, "
                             f"shown but not held: {sorted(set(wanted) - held)}; map's filters "
                             f"{map_window.evaluate('() => kumamapLayers.filters()')}") from None
    statuses = {feature_id: key.split("|")[0] for feature_id, key in drawn(map_window).items()}
    assert statuses == wanted


def shown_count(page: Page) -> str:
    return widget(page, "head").inner_text()


def test_filters_hide_and_restyle_features_without_sending_the_map(page: Page, serve) -> None:
    open_app(page, serve(GEO))
    map_window = ready_frame(page, "() => window.kumamapLayers && window.map_div.eachLayer")
    map_window.evaluate(COUNT_RENDERS)
    expect_drawn(map_window, DEFAULT)
    state = replace(DEFAULT, categories=frozenset({"fab", "station"}))
    choose(page, "category", "Semiconductor fab")
    choose(page, "category", "Station")
    expect_drawn(map_window, state)
    # The year: features not yet known are hidden, the others drawn with that year's status.
    slider = year_slider(page)
    slider.focus()
    before = page.url
    page.keyboard.press("Home")
    for _ in range(2022 - int(slider.get_attribute("aria-valuetext") or "")):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", "2022")
    state = replace(state, year=2022)
    expect_drawn(map_window, state)
    assert drawn(map_window)["jasm-fab1"].startswith(f"{Status.UNDER_CONSTRUCTION.value}|")
    learned(page, before)
    choose(page, "status", "under construction")
    state = replace(state, statuses=frozenset({Status.UNDER_CONSTRUCTION}))
    expect_drawn(map_window, state)
    type_text(page, "JASM")
    state = replace(state, text="JASM")
    expect_drawn(map_window, state)
    # The server learned it all: the count and the link follow; the map was not sent again.
    count = apply_filters(DATA.layers, state).feature_count
    expect(widget(page, "head")).to_contain_text(f"{count} {t('shown', 'en')}")
    for part in ("category=fab", "category=station", "year=2022", "status=under_construction",
                 "text=JASM"):
        assert part in page.url, (part, page.url)
    assert map_window.evaluate("() => window.kumamapRenders") == 0


def test_a_link_sets_the_browsers_filters(page: Page, serve) -> None:
    open_app(page, serve(GEO) + "/?status=planned&year=2024&origin=TW&layers=firms")
    map_window = ready_frame(page, "() => window.kumamapLayers && window.map_div.eachLayer")
    state = FilterState(layer_ids=frozenset({"firms"}), statuses=frozenset({Status.PLANNED}),
                        year=2024, origins=frozenset({"TW"}))
    expect_drawn(map_window, state)
    expect(year_slider(page)).to_have_attribute("aria-valuetext", "2024")
    # The reader's change counts from there on.
    choose(page, "status", "planned")
    expect_drawn(map_window, replace(state, statuses=frozenset()))


def playing_year(page: Page) -> int:
    return int(year_slider(page).get_attribute("aria-valuetext") or "0")


# Records each year the controls show while they play.
RECORD_YEARS = """() => {
    const output = document.querySelector("output");
    window.shownYears = [];
    new MutationObserver(() => window.shownYears.push(output.textContent))
        .observe(output, {childList: true, characterData: true, subtree: true});
}"""


def test_play_runs_the_years_and_pauses_by_keyboard(page: Page, serve) -> None:
    open_app(page, serve(GEO))
    map_window = ready_frame(page, "() => window.kumamapLayers && window.map_div.eachLayer")
    controls_window = page.locator(SWITCH_FRAME).element_handle().content_frame()
    assert controls_window is not None
    controls_window.evaluate(RECORD_YEARS)
    years = year_options(DATA)[:-1]  # the last is "today"
    button = play_button(page)
    expect(button).to_have_text(t("play", "en"))
    button.focus()
    page.keyboard.press("Space")
    expect(button).to_have_text(t("pause", "en"))
    # From the first year on, a year at a time: the map follows at once.
    controls_window.wait_for_function("() => window.shownYears.length >= 3", timeout=TIMEOUT_MS)
    page.keyboard.press("Enter")
    expect(button).to_have_text(t("play", "en"))
    year = playing_year(page)
    shown = [int(text) for text in controls_window.evaluate("() => window.shownYears")]
    assert shown == list(range(years[0], year + 1)), shown
    state = replace(DEFAULT, year=year)
    expect_drawn(map_window, state)
    # Paused: the server learns the year it stopped at; the count and the link follow.
    page.wait_for_url(f"**year={year}**", timeout=TIMEOUT_MS)
    wait_idle(page)
    assert playing_year(page) == year
    count = apply_filters(DATA.layers, state).feature_count
    expect(widget(page, "head")).to_contain_text(f"{count} {t('shown', 'en')}")
    # Played on to the end, it stops at the last year.
    button.click()
    expect(button).to_have_text(t("pause", "en"))
    expect(button).to_have_text(t("play", "en"), timeout=TIMEOUT_MS * 2)
    assert playing_year(page) == years[-1]
    expect_drawn(map_window, replace(DEFAULT, year=years[-1]))


def test_the_play_button_speaks_the_readers_language(page: Page, serve) -> None:
    open_app(page, serve(GEO) + "/?lang=ja")
    expect(play_button(page)).to_have_text(t("play", "ja"))
    widget(page, "lang").get_by_text("繁體中文").click()
    wait_idle(page)
    expect(play_button(page)).to_have_text(t("play", "zh-TW"))
