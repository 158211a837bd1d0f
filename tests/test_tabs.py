"""Story, table and charts below the map, under AppTest (no browser), and their pure helpers."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kumamap.catalog import load_catalog
from kumamap.sidebar import FILTERS, REQUESTED_FILTERS, SELECTED, VISIBLE
from kumamap.story import ChapterView
from kumamap.tabs import CHAPTER, chapter_box, layer_box, step
from kumamap.views import PRESETS, preset_bounds
from tests.builders import GEO, HOSTILE, controls_args, copy_mini, drawn_widget, filters
from tests.test_app import run_link

APP = str(Path(__file__).parent.parent / "app.py")
SOURCE = {"url": "https://www.taiwannews.com.tw/news/4341008", "title": "JASM opens",
          "publisher": "Taiwan News", "date": "2024-02-24"}
FAB2_BOX = [32.87, 130.8, 32.89, 130.86]


def chapter(number: int, layers: list[str], year: int | None, selected: str | None,
            view: dict, title: str = "") -> dict:
    title = title or f"Chapter {number}"
    return {"id": f"chapter-{number}", "title_en": title, "title_ja": f"第{number}章",
            "title_zh_tw": f"第{number}章", "text_en": f"Text {number}.",
            "text_ja": f"本文{number}。", "text_zh_tw": f"內文{number}。", "sources": [SOURCE],
            "view": view, "layers": layers, "year": year, "selected": selected}


STORY = [
    chapter(1, ["jasm"], 2022, "jasm-fab1", {"preset": "kumamoto"}),
    chapter(2, ["jasm", "rail", "stations"], None, "st-haramizu", {"bounds": FAB2_BOX}),
    chapter(3, ["stations"], 2024, None, {"preset": "kyushu"}),
]


def story_data(tmp_path: Path, chapters: list[dict] = STORY) -> Path:
    """The small data folder with a story of these chapters."""
    root = copy_mini(tmp_path)
    (root / "story.json").write_text(json.dumps({"chapters": chapters}), encoding="utf-8")
    catalog = root / "layers.toml"
    catalog.write_text('story = "story.json"\n' + catalog.read_text(encoding="utf-8"),
                       encoding="utf-8")
    return root


def open_page(monkeypatch, root: Path, **params: str) -> AppTest:
    return run_link(monkeypatch, params, root)


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["tabs"] = label
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def layers_on(at: AppTest) -> list[str]:
    return sorted(at.session_state[VISIBLE])


def switch_off(at: AppTest, layer_id: str) -> AppTest:
    """What the sidebar's layer switch (a component AppTest cannot click) reports."""
    at.session_state[VISIBLE] = frozenset(at.session_state[VISIBLE]) - {layer_id}
    return at.run()


def open_chapter(at: AppTest) -> str | None:
    return at.session_state[CHAPTER] if CHAPTER in at.session_state else None


def story_text(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


@pytest.fixture
def story(monkeypatch, tmp_path) -> AppTest:
    return open_page(monkeypatch, story_data(tmp_path))


def test_three_tabs_below_the_map_follow_the_language(story):
    assert [tab.label for tab in story.tabs] == ["Story", "Feature table", "Charts"]
    open_tab(story, "Charts")
    story.radio(key="lang").set_value("ja").run()
    assert [tab.label for tab in story.tabs] == ["ストーリー", "一覧表", "グラフ"]
    # Still on the charts: a language switch does not send the reader back to the story.
    assert story.session_state["tabs"] == "グラフ"


def test_the_story_starts_closed_and_next_opens_chapter_one(story):
    assert open_chapter(story) is None
    flights = story.session_state["flights"] if "flights" in story.session_state else 0
    assert story.button(key="chapter_previous").disabled
    assert story.button(key="chapter_next").label == "Start the story"
    assert any("3 chapters" in text for text in story_text(story))
    story.button(key="chapter_next").click().run()
    assert open_chapter(story) == "chapter-1"
    assert "### Chapter 1" in story_text(story)
    assert layers_on(story) == ["jasm"]
    assert filters(story)["year"] == 2022
    # A request: the browser's controls and map are drawn with the chapter's year.
    assert controls_args(story)["filters"]["year"] == 2022
    assert story.session_state[SELECTED] == "jasm-fab1"
    assert story.query_params["chapter"] == "chapter-1"
    assert story.session_state["flights"] == flights + 1  # the map was asked to move


def test_next_and_previous_step_through_the_map_states(story):
    story.button(key="chapter_next").click().run()
    story.button(key="chapter_next").click().run()
    assert open_chapter(story) == "chapter-2"
    assert layers_on(story) == ["jasm", "rail", "stations"]
    assert filters(story)["year"] == 0  # today
    assert story.session_state[SELECTED] == "st-haramizu"
    assert any(caption.value == "Chapter 2 of 3" for caption in story.caption)
    assert any("taiwannews.com.tw" in text for text in story_text(story))
    story.button(key="chapter_next").click().run()
    assert story.button(key="chapter_next").disabled
    assert layers_on(story) == ["stations"]
    story.button(key="chapter_previous").click().run()
    assert open_chapter(story) == "chapter-2"
    assert story.query_params["chapter"] == "chapter-2"


def map_args(at: AppTest) -> dict:
    """What the server drew the map with: its base map and every feature group."""
    found = [element.proto for element in at.get("component_instance")
             if element.proto.component_name == "streamlit_folium.st_folium"]
    assert len(found) == 1, found
    return json.loads(found[0].json_args)


def flight_asked(at: AppTest) -> dict | None:
    """The flight the page hands the map (flights.py), or None."""
    found = [element.proto for element in at.get("bidi_component")
             if element.proto.component_name == "kumamap.map_flight"]
    assert len(found) == 1, found
    return json.loads(found[0].json) if found[0].WhichOneof("data") == "json" else None


def test_a_chapter_step_leaves_the_map_as_it_was_and_hands_it_a_flight(story, tmp_path):
    data = load_catalog(story_data(tmp_path / "again"))
    drawn = map_args(story)
    flights = story.session_state["flights"] if "flights" in story.session_state else 0
    for button, number in (("chapter_next", 1), ("chapter_next", 2), ("chapter_previous", 1)):
        story.button(key=button).click().run()
        assert open_chapter(story) == f"chapter-{number}"
        # The same map: the browser keeps its frame, and nothing of it is sent again; the
        # request reaches it through the sidebar's controls and the page state.
        assert map_args(story) == drawn
        south, west, north, east = chapter_box(data.chapters[number - 1], data.layers)
        assert flight_asked(story) == {"session": story.session_state["session_token"],
                                       "number": story.session_state["flights"],
                                       "bounds": [[south, west], [north, east]]}
    # Each flight has its own number, so the page flies each once.
    assert story.session_state["flights"] == flights + 3


def test_the_chapter_picker_jumps_and_moves_the_map(story):
    drawn_widget(story.selectbox, "chapter_pick").set_value(3).run()
    assert open_chapter(story) == "chapter-3"
    assert layers_on(story) == ["stations"]
    assert filters(story)["year"] == 2024
    assert story.session_state[SELECTED] is None


@pytest.mark.parametrize("link", ["chapter-2", "2"])  # by id; by number, as older links do
def test_a_link_opens_its_chapter(monkeypatch, tmp_path, link):
    at = open_page(monkeypatch, story_data(tmp_path), chapter=link)
    assert open_chapter(at) == "chapter-2"
    assert "### Chapter 2" in story_text(at)
    assert drawn_widget(at.selectbox, "chapter_pick").value == 2
    assert at.query_params["chapter"] == "chapter-2"
    assert not at.warning
    at.button(key="chapter_next").click().run()
    assert open_chapter(at) == "chapter-3"


def test_an_open_page_keeps_its_chapter_when_an_earlier_one_fails(monkeypatch, tmp_path):
    root = story_data(tmp_path)
    at = open_page(monkeypatch, root, chapter="chapter-3")
    assert "### Chapter 3" in story_text(at)
    broken = [{**STORY[0], "layers": ["no-such-layer"]}, *STORY[1:]]
    (root / "story.json").write_text(json.dumps({"chapters": broken}), encoding="utf-8")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(caption.value == "Chapter 2 of 2" for caption in at.caption)
    assert "### Chapter 3" in story_text(at)
    assert at.query_params["chapter"] == "chapter-3"


def test_a_link_to_a_chapter_that_is_not_there_is_ignored(monkeypatch, tmp_path):
    at = open_page(monkeypatch, story_data(tmp_path), chapter="9")
    assert open_chapter(at) is None
    assert "chapter\\=9" in at.warning[0].value


def test_chapter_text_is_shown_literally(monkeypatch, tmp_path):
    hostile = chapter(1, ["jasm"], None, None, {"preset": "kumamoto"}, title=HOSTILE)
    at = open_page(monkeypatch, story_data(tmp_path, [hostile]))
    at.button(key="chapter_next").click().run()
    heading = next(text for text in story_text(at) if text.startswith("### "))
    # Every character Markdown or LaTeX would act on is escaped.
    assert not re.search(r"(?<!\\)[<>$`\[\]()]", heading.removeprefix("### ")), heading


def test_no_story_says_so(monkeypatch):
    at = open_page(monkeypatch, Path(__file__).parent / "data" / "mini")
    assert any("has no story" in info.value for info in at.info)


def test_the_table_lists_what_the_map_shows(story):
    open_tab(story, "Feature table")
    (table,) = story.dataframe
    assert list(table.value["name"]) == [
        "JASM Fab 1", "JASM Fab 2", "Haramizu Station", "New station (planned)"]
    switch_off(story, "jasm")
    assert list(story.dataframe[0].value["layer"]) == ["Stations", "Stations"]


def test_the_table_marks_the_selected_feature(story):
    open_tab(story, "Feature table")
    story.session_state[SELECTED] = "st-haramizu"
    story.run()
    marks = dict(zip(story.dataframe[0].value["name"], story.dataframe[0].value["selected"],
                     strict=True))
    assert marks["Haramizu Station"] == "●"
    assert marks["JASM Fab 1"] == ""


def test_the_table_and_charts_say_when_nothing_is_shown(story):
    for layer_id in ("jasm", "stations"):
        switch_off(story, layer_id)
    for label in ("Feature table", "Charts"):
        open_tab(story, label)
        assert not story.dataframe
        assert any("Nothing is shown" in info.value for info in story.info)
        assert not story.get("vega_lite_chart")


@pytest.mark.parametrize("lang", ["en", "ja", "zh-TW"])
def test_charts_draw_in_every_language(story, lang):
    story.radio(key="lang").set_value(lang).run()
    open_tab(story, story.tabs[2].label)
    charts = story.get("vega_lite_chart")
    # The timeline, and counts by layer and areas of zones.
    assert len(charts) == 3


def test_the_timeline_draws_a_year_with_events_but_no_dated_feature(monkeypatch):
    at = open_page(monkeypatch, GEO, year="2016")
    open_tab(at, "Charts")  # no exception
    assert len(at.get("vega_lite_chart")) >= 2  # the timeline (its events), counts by layer


# --- pure helpers ------------------------------------------------------------------------

GEO_DATA = load_catalog(GEO)


def test_step_stays_inside_the_story():
    assert step(None, 1, 3) == 1
    assert step(1, 1, 3) == 2
    assert step(3, 1, 3) is None
    assert step(1, -1, 3) is None
    assert step(None, -1, 3) is None


def test_a_preset_chapter_flies_to_the_preset_layers():
    cluster = next(c for c in GEO_DATA.chapters if c.view.preset == "kyushu")
    preset = PRESETS["kyushu"]
    geometries = [f.geometry for layer in GEO_DATA.layers if layer.id in preset.layers
                  for f in layer.features]
    assert chapter_box(cluster, GEO_DATA.layers) == preset_bounds(geometries, preset.padding)


def test_a_bounds_chapter_flies_to_its_bounds():
    fab2 = next(c for c in GEO_DATA.chapters if c.view.bounds is not None)
    assert chapter_box(fab2, GEO_DATA.layers) == fab2.view.bounds


def test_a_preset_without_its_layers_uses_the_chapter_layers_then_the_catalog_boxes():
    # The small data has no trade centres, the layer of the world preset.
    mini = load_catalog(Path(__file__).parent / "data" / "mini")
    world = replace(GEO_DATA.chapters[0], view=ChapterView(preset="world"),
                    layer_ids=("stations",))
    south, west, north, east = chapter_box(world, mini.layers)
    assert 32.8 < south < north < 33.0 and 130.7 < west < east < 130.9
    nothing = replace(world, layer_ids=())
    assert chapter_box(nothing, mini.layers) == layer_box(mini.layers) == (32.7, 130.55, 33.05,
                                                                           131.05)


def test_every_chapter_of_the_real_story_has_a_box():
    for number, story_chapter in enumerate(GEO_DATA.chapters, start=1):
        south, west, north, east = chapter_box(story_chapter, GEO_DATA.layers)
        assert south < north and west < east, number


def linked_page() -> None:
    """The start of the page: the link's chapter is opened before any widget draws."""
    import os
    from pathlib import Path

    from kumamap.catalog import load_catalog
    from kumamap.tabs import open_linked_chapter

    open_linked_chapter(load_catalog(Path(os.environ["KUMAMAP_DATA"])))


def test_the_chapter_of_a_link_sets_its_map_state_once(monkeypatch, tmp_path):
    monkeypatch.setenv("KUMAMAP_DATA", str(story_data(tmp_path)))
    at = AppTest.from_function(linked_page, default_timeout=60)
    at.session_state[CHAPTER] = "3"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state[VISIBLE] == frozenset({"stations"})
    assert at.session_state[FILTERS]["year"] == 2024
    assert at.session_state[REQUESTED_FILTERS]["year"] == 2024  # a request of the server
    data = load_catalog(story_data(tmp_path / "again"))
    assert at.session_state["flight"][0] == chapter_box(data.chapters[2], data.layers)
    # Once: later runs leave the reader's own changes alone.
    at.session_state[VISIBLE] = frozenset({"jasm"})
    at.run()
    assert at.session_state[VISIBLE] == frozenset({"jasm"})
