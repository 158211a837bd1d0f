"""The map first, and the map with its panel rerun alone (a fragment), under AppTest.

AppTest shows what a run sent: after a fragment's run, only that fragment's elements.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import UnknownElement

from kumamap.guard import PACE, RUN_BUCKET
from kumamap.held import HELD
from kumamap.i18n import t
from kumamap.mapclick import HEARER, MAX_ID_LENGTH
from kumamap.mapfirst import WATCHER
from kumamap.pace import Bucket
from kumamap.table import SELECTED_MARK
from kumamap.ui import SELECTED
from tests.builders import MINI
from tests.test_app import APP, details_heading, map_drawn, panel_is_open, run_app, shown_count
from tests.test_tabs import open_page, open_tab, story_data

TABS = [t(f"tab_{name}", "en") for name in ("story", "table", "charts")]


def elements(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from elements(child)


def waits_for_the_map(at: AppTest) -> bool:
    """The page's watcher of its map is there (and the part below the map is not yet)."""
    return any(getattr(element, "key", None) == WATCHER for element in at.main.children.values())


def click_on_map(at: AppTest, reported: object) -> AppTest:
    """What the page reports of a click on a feature: the panel's hearer of the map's
    clicks (mapclick) sends the id the map announced, as a trigger. (AppTest cannot click
    in the map's frame; the browser tests do.)"""
    (hearer,) = [e for e in elements(at.main) if getattr(e, "key", None) == HEARER]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = _make_trigger_id(hearer.proto.id, "events")
    state.json_trigger_value = json.dumps([{"event": "clicked", "value": reported}])
    at._run(states)
    assert not at.exception, [e.message for e in at.exception]
    return at


def map_was_sent(at: AppTest) -> bool:
    return any(isinstance(e, UnknownElement) and e.type == "component_instance"
               and "streamlit_folium" in e.proto.component_name for e in elements(at.main))


def only_the_stage_was_sent(at: AppTest) -> bool:
    """The last run sent neither the sidebar, nor the header, nor the part below the map."""
    return not at.sidebar.children and not at.title and not at.expander \
        and not at.get("download_button") and not at.tabs


def test_the_first_run_draws_the_map_and_what_is_above_it_and_nothing_below(monkeypatch):
    monkeypatch.setenv("KUMAMAP_DATA", str(MINI))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value and shown_count(at) == 4
    assert not at.sidebar.radio and not at.sidebar.text_input and not at.sidebar.checkbox
    assert not at.tabs and not at.expander and not at.get("download_button")
    assert not [m for m in at.markdown if "Download" in m.value]
    assert waits_for_the_map(at)
    map_drawn(at)  # the run the watcher asks for
    assert at.sidebar.radio(key="lang").value == "en"
    assert [tab.label for tab in at.tabs] == TABS
    assert at.expander and at.get("download_button")
    assert not waits_for_the_map(at)


def test_a_click_on_the_map_shows_details_and_reruns_only_the_panel_not_the_map(monkeypatch):
    at = run_app(monkeypatch, MINI)
    assert not panel_is_open(at)
    click_on_map(at, "jasm-fab1")
    assert at.session_state[SELECTED] == "jasm-fab1"
    assert details_heading(at).startswith("### JASM Fab 1")
    assert only_the_stage_was_sent(at)
    assert not map_was_sent(at)  # st_folium did not render the map again
    assert at.query_params["sel"] == "jasm-fab1"  # the link follows


def test_a_click_reported_with_anything_but_a_known_feature_id_selects_nothing(monkeypatch):
    at = run_app(monkeypatch, MINI)
    click_on_map(at, "jasm-fab1")
    for reported in ["no-such-feature", "jasm-fab1" + "x" * MAX_ID_LENGTH, "", None, 7,
                     ["jasm-fab1"], {"id": "jasm-fab1"}]:
        click_on_map(at, reported)
        assert at.session_state[SELECTED] == "jasm-fab1", reported
        assert details_heading(at).startswith("### JASM Fab 1")


def test_with_the_table_open_a_click_marks_its_row_too(monkeypatch):
    at = open_tab(run_app(monkeypatch, MINI), TABS[1])
    click_on_map(at, "jasm-fab1")
    assert details_heading(at).startswith("### JASM Fab 1")
    assert not at.sidebar.children and not at.title  # the page was not run again
    (table,) = at.dataframe
    marked = table.value[table.value["selected"] == SELECTED_MARK]
    assert list(marked["name"]) == ["JASM Fab 1"]


def test_closing_the_panel_reruns_only_the_panel_not_the_map(monkeypatch):
    at = run_app(monkeypatch, MINI)
    click_on_map(at, "jasm-fab1")
    at.button(key="close_panel").click().run()
    assert at.session_state[SELECTED] is None
    assert not panel_is_open(at)
    assert only_the_stage_was_sent(at) and not map_was_sent(at)
    assert "sel" not in at.query_params


def test_show_on_map_reruns_the_map_too_for_its_flight(monkeypatch):
    at = run_app(monkeypatch, MINI)
    click_on_map(at, "jasm-fab1")
    at.button(key="locate").click().run()
    assert only_the_stage_was_sent(at) and map_was_sent(at)
    assert details_heading(at).startswith("### JASM Fab 1")


def test_closing_a_chapter_reruns_the_whole_page(monkeypatch, tmp_path):
    """The story's tab below the map follows: it offers to start again. (A chapter step
    in the panel reruns the whole page too; AppTest runs the page on every click of a
    button, so the browser tests show that one.)"""
    at = open_page(monkeypatch, story_data(tmp_path))
    at.button(key="chapter_next").click().run()  # in the story's tab: starts chapter 1
    assert panel_is_open(at)
    at.button(key="close_panel").click().run()
    assert not panel_is_open(at)
    assert at.sidebar.children and [tab.label for tab in at.tabs] == TABS
    assert at.button(key="chapter_next").label == t("chapter_start", "en")


def paced_once(before: Bucket, after: Bucket) -> bool:
    """One run was counted between the two buckets (not none, not two)."""
    refilled = min(PACE.burst, before.tokens + (after.at - before.at) * PACE.per_second)
    return after.at > before.at and after.tokens == pytest.approx(refilled - 1)


def test_a_run_of_a_part_of_the_page_is_paced_once_as_a_run_of_the_page(monkeypatch):
    """A session that asks for such runs faster than a reader can is held back too; the
    panel's run inside the stage's is not counted again."""
    at = run_app(monkeypatch, MINI)
    before = at.session_state[RUN_BUCKET]
    click_on_map(at, "jasm-fab1")  # the panel alone
    assert only_the_stage_was_sent(at)
    assert paced_once(before, at.session_state[RUN_BUCKET])
    before = at.session_state[RUN_BUCKET]
    at.button(key="locate").click().run()  # the map and, inside it, the panel
    assert map_was_sent(at)
    assert paced_once(before, at.session_state[RUN_BUCKET])


def test_a_click_on_a_feature_of_the_readers_upload_selects_it(monkeypatch):
    """The upload is no catalog layer: the hearer looks it up in the session when called."""
    feature = {"type": "Feature", "properties": {"name": "My own site"},
               "geometry": {"type": "Point", "coordinates": [130.8, 32.9]}}
    raw = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    at = run_app(monkeypatch, MINI)
    at.file_uploader(key="upload").set_value(("mine.geojson", raw, "application/json")).run()
    (uploaded,) = at.session_state[HELD].layer.features
    click_on_map(at, uploaded.id)
    assert at.session_state[SELECTED] == uploaded.id
    assert details_heading(at).startswith("### My own site")
    assert not map_was_sent(at)
