"""The map first, then the rest of the page by itself; a click on the map reruns only its
panel, a row of the table only the map, its panel and the table (fragments), read off the
page's websocket."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from kumamap.mapview import CLICK_EVENT
from tests.builders import GEO
from tests.e2e.conftest import Traffic
from tests.e2e.helpers import (
    DATA,
    SHAPES,
    TIMEOUT_MS,
    click_feature,
    details,
    map_frame,
    open_app,
    widget,
)
from tests.e2e.test_story import choose_third_row, open_table
from tests.e2e.wire import Run, SentRuns, ServerRuns

FRAGMENT_RUN = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
MAIN, SIDEBAR = 0, 1
POINT = "st-haramizu"
# A click announced on the page's document, as the map's frame announces one (page_sync.js).
ANNOUNCE = """([event, id]) => document.dispatchEvent(new CustomEvent(event, {detail: {id}}))"""


def test_the_map_comes_first_and_the_tabs_follow_by_themselves(page: Page, serve) -> None:
    sent = SentRuns(page)
    page.goto(serve(GEO))
    # Nobody touches the page: the tabs come once the map has drawn.
    expect(page.get_by_role("tablist")).to_be_attached()
    expect(map_frame(page).locator(SHAPES).first).to_be_attached()
    first, second = sent.runs[:2]
    assert first.sent("component_instance") and SIDEBAR in first.roots()  # the map, the sidebar
    assert not first.sent("tab_container") and not first.sent("download_button")
    assert second.sent("tab_container") and second.sent("download_button")
    # The map stayed where it was: still one map frame, the one that drew first.
    expect(page.locator('iframe[title="streamlit_folium.st_folium"]')).to_have_count(1)


def test_a_page_whose_map_never_draws_gets_its_tabs_all_the_same(
        page: Page, serve, traffic: Traffic) -> None:
    page.route("**/component/streamlit_folium.st_folium/**", lambda route: route.abort())
    page.goto(serve(GEO))
    expect(page.get_by_role("tablist")).to_be_attached()
    # The page says what failed, and only that.
    assert traffic.errors and all("Failed to" in error for error in traffic.errors), traffic.errors
    traffic.errors.clear()


def sends_the_map(run: Run) -> bool:
    """The run sent the map's element (st_folium's whole map message), or a reference to
    it that the page has cached: st_folium was run."""
    return run.sent("component_instance") or run.sent("ref_hash")


def test_a_click_on_the_map_reruns_only_its_panel_not_the_map(page: Page, serve) -> None:
    """Issue 22: the page tells the panel of a click (mapclick); the map is not run again,
    nor sent (before, its value reran the map and its panel)."""
    sent = SentRuns(page)
    open_app(page, serve(GEO))
    before = len(sent.runs)
    click_feature(page, POINT)
    expect(details(page).locator("h3")).to_have_text(DATA.feature(POINT)[1].name.en)
    runs = sent.runs[before:]
    assert runs and all(run.status == FRAGMENT_RUN for run in runs), runs
    assert all(run.roots() == {MAIN} and not run.sent("tab_container") for run in runs)
    assert not any(sends_the_map(run) for run in runs), runs
    assert f"sel={POINT}" in page.url  # the link follows
    # Closing the panel too.
    before = len(sent.runs)
    widget(page, "close_panel").get_by_role("button").click()
    expect(widget(page, "details")).to_have_count(0)
    runs = sent.runs[before:]
    assert runs and all(run.status == FRAGMENT_RUN and not sends_the_map(run) for run in runs)
    assert "sel=" not in page.url


def test_a_click_forged_in_the_page_selects_only_a_known_feature(page: Page, serve) -> None:
    """What the page reports is untrusted: an announced id that is too long, or names no
    feature, reaches the server (a run) and selects nothing; a known one selects."""
    runs = ServerRuns(page)
    open_app(page, serve(GEO))
    for forged in ("x" * 500, "no-such-feature", "<img src=x onerror=alert(1)>"):
        mark = runs.mark()
        page.evaluate(ANNOUNCE, [CLICK_EVENT, forged])
        runs.wait_past(mark, TIMEOUT_MS)
        expect(widget(page, "details")).to_have_count(0)
        assert "sel=" not in page.url
    page.evaluate(ANNOUNCE, [CLICK_EVENT, POINT])
    expect(details(page).locator("h3")).to_have_text(DATA.feature(POINT)[1].name.en)


def test_a_row_of_the_table_reruns_only_the_map_its_panel_and_the_table(
        page: Page, serve) -> None:
    sent = SentRuns(page)
    open_app(page, serve(GEO))
    grid = open_table(page)
    before = len(sent.runs)
    row = choose_third_row(page, grid)
    expect(details(page).locator("h3")).to_have_text(row.name)
    expect(grid.locator("tr", has_text=row.name)).to_contain_text("●")
    runs = sent.runs[before:]
    assert runs and all(run.status == FRAGMENT_RUN for run in runs), runs
    assert all(run.roots() == {MAIN} and not run.sent("tab_container") for run in runs)
    assert any(run.sent("dataframe") for run in runs)  # the table, with its new mark
    assert any(sends_the_map(run) for run in runs)  # the map, for its flight
