"""Two races between a map click and the server's own choices, reproduced in Chromium.

A click on the map reaches the server a moment later (the page reports it, mapclick; until
issue 22 the map reported it after a 250 ms debounce). When it lands while the server answers the reader's previous action, the page sends the widget
values it had before that answer: a chapter the server entered, or its year, must not be
undone by them. And a click selects what was clicked, also the point clicked before a
chapter selected another; every click is reported, also a second one on the same map.
"""

from __future__ import annotations

from playwright.sync_api import Page, WebSocketRoute, expect

from kumamap.i18n import t
from tests.builders import GEO
from tests.e2e.helpers import (
    DATA,
    TIMEOUT_MS,
    click_feature,
    open_app,
    wait_idle,
    widget,
    year_slider,
)
from tests.e2e.test_story import pick_chapter
from tests.e2e.wire import STREAM, ServerRuns, is_run_finished, wait_for

# Chapter 4 (no year) follows chapter 3 (2024); the park is a point in both.
LATER, EARLIER, POINT = 4, 3, "semicon-techno-park"


class HeldAnswer:
    """The page's websocket, with the server's answer to one action held back until the
    page has sent a later message (one naming `marker`) and the server has finished
    the run of the action: so that message carries the widget values from before the
    run, as a slow connection or a busy server makes it do."""

    def __init__(self, marker: str) -> None:
        self.marker = marker.encode()
        self.is_holding = False
        self.held: list[str | bytes] = []
        self.late: str | bytes | None = None
        self.is_run_finished = False
        self.is_answered = False  # the run of the late message has finished

    def route(self, page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()
        self.page_side, self.server_side = page_side, server_side
        page_side.on_message(self.from_page)
        server_side.on_message(self.from_server)

    def from_page(self, message: str | bytes) -> None:
        if self.is_holding and isinstance(message, bytes) and self.marker in message:
            self.late = message
            self.release()
        else:
            self.server_side.send(message)

    def from_server(self, message: str | bytes) -> None:
        if not self.is_holding:
            self.page_side.send(message)
            self.is_answered |= isinstance(message, bytes) and self.late is not None \
                and is_run_finished(message)
            return
        self.held.append(message)
        if isinstance(message, bytes) and is_run_finished(message):
            self.is_run_finished = True
            self.release()

    def release(self) -> None:
        if self.late is None or not self.is_run_finished:
            return
        self.is_holding = False
        self.server_side.send(self.late)
        for message in self.held:
            self.page_side.send(message)


def expect_chapter(page: Page, number: int) -> None:
    chapter = DATA.chapters[number - 1]
    expect(widget(page, "chapter").locator("h3")).to_have_text(chapter.title.en)
    slider = year_slider(page)
    year = str(chapter.year) if chapter.year else t("all_years", "en")
    expect(slider).to_have_attribute("aria-valuetext", year)
    assert f"chapter={chapter.id}" in page.url


def test_a_click_reported_during_a_story_step_keeps_the_step(page: Page, serve) -> None:
    """Defect: the click's late report carried the chapter picker's and the year's values
    from before the step, so the step was undone (the old chapter entered again).

    The click itself is dropped: it was made on the map the step has replaced (a new map
    frame), whose values Streamlit drops as it drops the old widgets'."""
    wire = HeldAnswer(f'"{POINT}"')
    page.route_web_socket(STREAM, wire.route)
    open_app(page, serve(GEO))
    pick_chapter(page, LATER)
    expect_chapter(page, LATER)
    wire.is_holding = True
    widget(page, "chapter_previous").locator("button").click()
    click_feature(page, POINT)
    # The click's report goes out on its own; the held answer follows it, then its own.
    assert wait_for(page, lambda: wire.is_answered), "no answer of the server to the click's report"
    wait_idle(page)
    expect_chapter(page, EARLIER)


def test_a_point_clicked_again_after_a_chapter_chose_another_is_selected(
        page: Page, serve) -> None:
    """Defect: the map reports a click only when the clicked feature changes, so the
    point clicked before the chapter selected its own feature selected nothing."""
    point, chosen = "st-haramizu", DATA.chapters[EARLIER - 1].selected
    assert chosen is not None and chosen != point
    open_app(page, serve(GEO))
    heading = widget(page, "details").locator("h3")
    click_feature(page, point)
    expect(heading).to_have_text(DATA.feature(point)[1].name.en)
    pick_chapter(page, EARLIER)
    expect(heading).to_have_text(DATA.feature(chosen)[1].name.en)
    click_feature(page, point)
    expect(heading).to_have_text(DATA.feature(point)[1].name.en)


def test_every_click_on_a_point_is_reported_also_the_second_on_the_same_map(
        page: Page, serve) -> None:
    """Defect: the page stamped each click on the feature's properties in place, and the
    map's last report holds that same properties object, so a second click on the point
    clicked last, on the same map frame, compared equal to that report and was never
    sent (the test above passed only because the chapter's new map frame made new
    objects). Whatever selected another feature without a new map would have left the
    point unselectable by a click."""
    runs = ServerRuns(page)
    open_app(page, serve(GEO))
    for _ in range(2):
        mark = runs.mark()
        click_feature(page, "st-haramizu")
        runs.wait_past(mark, TIMEOUT_MS)


def test_a_point_clicked_again_after_the_panel_was_closed_is_selected(
        page: Page, serve) -> None:
    """The same defect as the reader meets it: closing the panel deselects without sending
    the map again, so the point clicked before could not be selected again by a click."""
    point = "st-haramizu"
    open_app(page, serve(GEO))
    heading = widget(page, "details").locator("h3")
    click_feature(page, point)
    expect(heading).to_have_text(DATA.feature(point)[1].name.en)
    widget(page, "close_panel").get_by_role("button", name="Close").click()
    expect(heading).to_have_count(0)
    click_feature(page, point)
    expect(heading).to_have_text(DATA.feature(point)[1].name.en)
