"""Issue 22's ▶ play in step: each year the map shows, the header's count and the timeline
chart's "as of year" rule show at once, in the browser, with no server run for it (the
server hears the year at most once a second while ▶ plays); what the server sends later
does not take them back to an older year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from playwright.sync_api import Page, expect

from kumamap.charts import AS_OF_COLOR, AS_OF_INPUT, as_of_position
from kumamap.filters import FilterState, apply_filters
from kumamap.i18n import t
from tests.builders import GEO
from tests.e2e.helpers import (
    DATA,
    TIMEOUT_MS,
    controls,
    filter_list,
    layer_switch,
    open_app,
    play_button,
    ready_frame,
    wait_idle,
    year_slider,
)
from tests.e2e.test_filters import expect_drawn
from tests.e2e.wire import STREAM, HeldReports, ServerRuns, wait_for

DEFAULT = FilterState(layer_ids=DATA.default_layer_ids)
START = 2021  # the timeline has bars from here on
COUNT = ".kumamap-shown-count"
SAID = '.kumamap-shown-said[role="status"]'
# A year's width on the axis is some 70 px: a tenth of a year is a few pixels.
YEAR_TOLERANCE = 0.1

# Records, at every count the map publishes, what the header and the rule's input show
# once the header has taken it (the header listens from before this listener).
RECORD = """(input) => {
    window.shownRecords = [];
    document.addEventListener("kumamap:shown", (event) => {
        const shown = JSON.parse(event.detail);
        window.shownRecords.push({year: shown.state.filters.year, count: shown.count,
                                  header: document.querySelector(".kumamap-shown-count").textContent,
                                  asOf: document.getElementById(input).value});
    });
}"""
# Every text the header's count shows from now on.
WATCH_HEADER = """() => {
    const count = document.querySelector(".kumamap-shown-count");
    window.headerTexts = [];
    new MutationObserver(() => window.headerTexts.push(count.textContent))
        .observe(count, {childList: true, characterData: true, subtree: true});
}"""
# Where the timeline (the first chart) draws its "as of year" rule, in the year its x axis
# gives that place (read off two of its year labels); null while there is no rule.
RULE_YEAR = """(color) => {
    const chart = document.querySelector('[data-testid="stVegaLiteChart"]');
    const rule = chart && [...chart.querySelectorAll("g.mark-rule.role-mark line")]
        .find((line) => line.getAttribute("stroke") === color);
    if (!rule) { return null; }
    const middle = (element) => {
        const box = element.getBoundingClientRect();
        return box.x + box.width / 2;
    };
    // Two year labels of the x axis, centred on their years (the first and the last are
    // drawn flush with the plot's edges instead).
    const labels = [...chart.querySelectorAll("g.role-axis-label text")]
        .filter((text) => /^\\d{4}$/.test(text.textContent));
    const [first, last] = [labels[1], labels[labels.length - 2]];
    const [from, to] = [Number(first.textContent), Number(last.textContent)];
    return from + (middle(rule) - middle(first)) * (to - from) / (middle(last) - middle(first));
}"""


def count_text(year: int | None, state: FilterState = DEFAULT) -> str:
    return f"{apply_filters(DATA.layers, replace(state, year=year)).feature_count} {t('shown', 'en')}"


def rule_year(page: Page) -> float | None:
    """Where the timeline draws its rule, in years."""
    return page.evaluate(RULE_YEAR, AS_OF_COLOR)


def rule_at(page: Page, year: int) -> bool:
    """Whether the rule stands where the chart puts the end of `year`."""
    drawn = rule_year(page)
    return drawn is not None and abs(drawn - as_of_position(year, date.today())) < YEAR_TOLERANCE


def open_charts(page: Page, held: HeldReports, query: str) -> ServerRuns:
    page.route_web_socket(STREAM, held.route)
    runs = ServerRuns(page)
    open_app(page, query)
    page.get_by_role("tab", name=t("tab_charts", "en")).click()
    wait_idle(page)
    assert wait_for(page, lambda: rule_year(page) is not None), "no rule in the timeline"
    return runs


def test_the_count_and_the_rule_follow_each_year_with_no_server_run(page: Page, serve) -> None:
    held = HeldReports()
    runs = open_charts(page, held, serve(GEO) + f"/?year={START}")
    map_window = ready_frame(page, "() => window.kumamapLayers && window.map_div.eachLayer")
    expect(page.locator(COUNT)).to_have_text(count_text(START))
    expect(page.locator(SAID)).to_have_text("")  # the count the page opened with is not said
    page.evaluate(RECORD, AS_OF_INPUT)
    before = runs.mark()
    held.is_holding = True
    # Stepped by keyboard: the count and the rule follow each year.
    assert rule_at(page, START), rule_year(page)
    slider = year_slider(page)
    slider.focus()
    for year in range(START + 1, START + 4):
        page.keyboard.press("ArrowRight")
        expect(page.locator(COUNT)).to_have_text(count_text(year))
        assert wait_for(page, lambda: rule_at(page, year)), (year, rule_year(page))
    # Played: every year the map shows, the count and the rule's input show it too.
    button = play_button(page)
    button.focus()
    page.keyboard.press("Space")
    expect(button).to_have_text(t("pause", "en"))
    page.wait_for_function("(year) => window.shownRecords.some((r) => r.year >= year)",
                           arg=START + 7, timeout=TIMEOUT_MS)
    page.keyboard.press("Enter")
    expect(button).to_have_text(t("play", "en"))
    records = page.evaluate("() => window.shownRecords")
    # Paused, the count settles and is said to screen readers.
    expect(page.locator(SAID)).to_have_text(count_text(records[-1]["year"]))
    years = [record["year"] for record in records]
    assert sorted(set(years)) == list(range(START + 1, max(years) + 1)), years
    for record in records:
        year = record["year"]
        assert record["header"] == count_text(year) == f"{record['count']} {t('shown', 'en')}", record
        assert float(record["asOf"]) == as_of_position(year, date.today()), record
    year = years[-1]
    expect_drawn(map_window, replace(DEFAULT, year=year))
    assert wait_for(page, lambda: rule_at(page, year)), (year, rule_year(page))
    # All of it without the server: the page asked for runs, none reached it.
    assert held.held and runs.mark().finished == before.finished
    # The server hears the held reports, the older years first: the count stays.
    page.evaluate(WATCH_HEADER)
    held.release()
    page.wait_for_url(f"**year={year}**", timeout=TIMEOUT_MS)
    wait_idle(page)
    expect(page.locator(COUNT)).to_have_text(count_text(year))
    assert page.evaluate("() => window.headerTexts") == [], "the count went back"
    # The server's chart of that year is drawn anew, its rule where the map is.
    assert wait_for(page, lambda: rule_at(page, year)), (year, rule_year(page))


def test_the_count_follows_layers_filters_and_text_with_no_server_run(page: Page,
                                                                      serve) -> None:
    held = HeldReports()
    page.route_web_socket(STREAM, held.route)
    runs = ServerRuns(page)
    open_app(page, serve(GEO))
    before = runs.mark()
    held.is_holding = True
    state = replace(DEFAULT, layer_ids=DEFAULT.layer_ids - {"stations"})
    layer_switch(page, "stations").click()
    expect(page.locator(COUNT)).to_have_text(count_text(None, state))
    state = replace(state, categories=frozenset({"industrial-park", "station"}))
    for option in ("Industrial park", "Station"):
        filter_list(page, "category").get_by_role("checkbox", name=option, exact=True).click()
    expect(page.locator(COUNT)).to_have_text(count_text(None, state))
    state = replace(state, layer_ids=DEFAULT.layer_ids, text="Hikari")
    layer_switch(page, "stations").click()
    controls(page).locator("#text").fill("Hikari")
    expect(page.locator(COUNT)).to_have_text(count_text(None, state))
    assert held.held and runs.mark().finished == before.finished
    # The server learns it all; its count is the same.
    held.release()
    runs.wait_past(before, TIMEOUT_MS)
    wait_idle(page)
    expect(page.locator(COUNT)).to_have_text(count_text(None, state))
