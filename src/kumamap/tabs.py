"""Below the map: the guided story, the feature table and the charts (tabs).

Streamlit lives here as in `ui` and `sidebar`. Only the open tab runs (tabs with state),
so a rerun pays for the table or the charts only while the reader looks at them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import streamlit as st

from kumamap.charts import (
    AS_OF_INPUT,
    as_of_position,
    bar_chart,
    count_amounts,
    event_marks,
    layer_colors,
    layer_counts,
    timeline_chart,
    timeline_phases,
    zone_areas,
)
from kumamap.details import escape_markdown, render_source
from kumamap.filters import View, count_by
from kumamap.guard import pace_part_run
from kumamap.i18n import country_name, t
from kumamap.model import LANGS, Lang, Layer, LoadResult
from kumamap.panels import FEATURE_TABLE, select_on_stage
from kumamap.permalink import BY_NAME
from kumamap.sidebar import SELECTED, apply_map_state, set_widget, widget_key
from kumamap.story import Chapter, chapter_number
from kumamap.table import origin_distances, table_columns, table_rows
from kumamap.views import PRESETS, preset_bounds

TABS = ("story", "table", "charts")
TAB_KEY = "tabs"
# The id of the chapter being read, or None: the `chapter` link parameter's session key.
CHAPTER = BY_NAME["chapter"].widget_key or "chapter"
CHAPTER_PICK = "chapter_pick"
# Set once the chapter of an opened link has moved the map.
LINKED_CHAPTER = "linked_chapter_opened"
TABLE = "table"
TABLE_IDS = "table_ids"  # (feature id, layer id) of each row of the drawn table
TIMELINE = "timeline_chart"
DISTANCES = "origin_distances"  # (the LoadResult they were measured on, {id: metres})
Box = tuple[float, float, float, float]


def show_tabs(result: LoadResult, view: View, state: dict[str, Any]) -> None:
    """Story, table and charts of what the map shows (the view holds uploaded layers too);
    only the open tab is drawn."""
    lang: Lang = state["lang"]
    labels = [t(f"tab_{name}", lang) for name in TABS]
    keep_tab(labels)
    story, table, charts = st.tabs(labels, key=TAB_KEY, on_change="rerun")
    if story.open:
        with story:
            show_story(result, lang)
    if table.open:
        with table:
            show_table(result, view, lang)
    if charts.open:
        with charts:
            show_charts(result, view, state["year"] or None, lang)


def keep_tab(labels: Sequence[str]) -> None:
    """Stay on the same tab when the language changes (the tabs remember their label)."""
    current = st.session_state.get(TAB_KEY)
    if current is None or current in labels:
        return
    for name, label in zip(TABS, labels, strict=True):
        if current in {t(f"tab_{name}", code) for code in LANGS}:
            st.session_state[TAB_KEY] = label


# --- Story -------------------------------------------------------------------------------

def layer_box(layers: Sequence[Layer]) -> Box:
    """(south, west, north, east) around the layers' catalog boxes (west, south, east, north)."""
    return (min(layer.bbox[1] for layer in layers), min(layer.bbox[0] for layer in layers),
            max(layer.bbox[3] for layer in layers), max(layer.bbox[2] for layer in layers))


def chapter_box(chapter: Chapter, layers: Sequence[Layer]) -> Box:
    """Where entering the chapter moves the map: its bounds, or its preset fitted to the
    preset's layers (as the map's preset views are), else to the chapter's own layers."""
    if chapter.view.bounds is not None:
        return chapter.view.bounds
    preset = PRESETS[chapter.view.preset or ""]
    for wanted in (preset.layers, chapter.layer_ids):
        geometries = [f.geometry for layer in layers if layer.id in wanted for f in layer.features]
        if geometries:
            return preset_bounds(geometries, preset.padding)
    return layer_box(layers)


def step(number: int | None, delta: int, count: int) -> int | None:
    """The chapter `delta` steps from `number` (None: not started), or None past either end."""
    target = (number or 0) + delta
    return target if 1 <= target <= count else None


def enter_chapter(result: LoadResult, number: int) -> None:
    """Open chapter `number` (1-based) and move the map to its state. A widget callback."""
    chapter: Chapter = result.chapters[number - 1]
    st.session_state[CHAPTER] = chapter.id
    set_widget(CHAPTER_PICK, number)
    apply_map_state(chapter.layer_ids, result.layers, chapter.year, chapter.selected,
                    chapter_box(chapter, result.layers))


def step_to(result: LoadResult, number: int) -> None:
    """A chapter button: enter chapter `number` and rerun the whole page, also from the
    panel beside the map, whose buttons would rerun only the map and the panel (a
    fragment): the sidebar's layers and year and the story's tab follow the chapter."""
    enter_chapter(result, number)
    st.rerun()


def open_linked_chapter(result: LoadResult) -> None:
    """Once per session: the chapter a link names (`chapter=transit`, or an older link's
    `chapter=3`) moves the map to its state.

    Call before the sidebar draws (it sets the layer and year widgets).
    """
    if LINKED_CHAPTER in st.session_state:
        return
    st.session_state[LINKED_CHAPTER] = True
    number = chapter_number(result.chapters, st.session_state.get(CHAPTER) or "")
    if number is not None:
        enter_chapter(result, number)


def pick_chapter(result: LoadResult) -> None:
    number = st.session_state.get(widget_key(CHAPTER_PICK))
    if number is not None:
        enter_chapter(result, number)


def reading(result: LoadResult) -> int | None:
    """The number of the chapter being read, or None (the story not started or left)."""
    return chapter_number(result.chapters, st.session_state.get(CHAPTER) or "")


def show_story(result: LoadResult, lang: Lang) -> None:
    """The story's tab: its start and the chapter picker. The chapter being read is shown
    in the panel beside the map (`show_reading`), the map moving beside its text."""
    chapters = result.chapters
    if not chapters:
        st.info(t("story_none", lang))
        return
    count = len(chapters)
    number = reading(result)
    if number is None:
        st.markdown(t("story_intro", lang).format(count=count))
        chapter_buttons(result, number, lang)
    else:
        st.caption(t("story_beside", lang))
    # The picker shows the chapter being read, however it was entered.
    pick = widget_key(CHAPTER_PICK)
    st.session_state[pick] = number
    st.selectbox(t("chapter_pick", lang), range(1, count + 1), key=pick,
                 format_func=lambda n: f"{n}. {chapters[n - 1].title.pick(lang)}",
                 placeholder=t("chapter_pick", lang), on_change=pick_chapter, args=(result,))


def chapter_buttons(result: LoadResult, number: int | None, lang: Lang) -> None:
    """Previous and next (or start), each with its shortcut; drawn once in the page: in
    the story's tab before the story starts, beside the map while a chapter is read."""
    count = len(result.chapters)
    previous, following = step(number, -1, count), step(number, 1, count)
    # Side by side where both fit with their labels and shortcuts, one above the other in
    # a narrow panel.
    row = st.container(key="chapter_steps", horizontal=True, wrap=True)
    row.button(t("chapter_previous", lang), key="chapter_previous", icon=":material/arrow_back:",
               disabled=previous is None, on_click=step_to, args=(result, previous),
               shortcut="Alt+Shift+Left", width="stretch")
    row.button(t("chapter_next" if number else "chapter_start", lang), key="chapter_next",
               icon=":material/arrow_forward:", icon_position="right", type="primary",
               disabled=following is None, on_click=step_to,
               args=(result, following), shortcut="Alt+Shift+Right", width="stretch")


def show_reading(result: LoadResult, number: int, lang: Lang) -> None:
    """Chapter `number`, being read, with the buttons to go on (the panel beside the map)."""
    chapter_buttons(result, number, lang)
    with st.container(key="chapter"):
        show_chapter(result.chapters[number - 1], number, len(result.chapters), lang)
    st.caption(t("chapter_keys", lang))


def show_chapter(chapter: Chapter, number: int, count: int, lang: Lang) -> None:
    st.caption(t("chapter_of", lang).format(number=number, count=count))
    st.markdown(f"### {escape_markdown(chapter.title.pick(lang))}")
    st.markdown(escape_markdown(chapter.text.pick(lang)))
    if chapter.sources:
        lines = [render_source(source, lang) for source in chapter.sources]
        st.markdown(f"**{t('sources', lang)}:**\n" + "\n".join(lines))


# --- Table -------------------------------------------------------------------------------

def distances(result: LoadResult, view: View) -> dict[str, float]:
    """Metres from the reach origin to every shown feature; measured once per data load."""
    found = result.feature(result.catalog.reach_origin)
    origin = found[1] if found else None
    cached = st.session_state.get(DISTANCES)
    if cached is None or cached[0] is not result:
        cached = (result, origin_distances(origin, result.features))
        st.session_state[DISTANCES] = cached
    # An uploaded layer is not in the loaded data: measure its features each time.
    missing = [s.feature for lv in view.layers for s in lv.shown if s.feature.id not in cached[1]]
    return {**cached[1], **origin_distances(origin, missing)} if missing else cached[1]


def column_config(result: LoadResult, lang: Lang) -> dict[str, Any]:
    found = result.feature(result.catalog.reach_origin)
    origin = found[1].name.pick(lang) if found else ""
    column = st.column_config
    text = {key: column.TextColumn(t(key, lang)) for key in
            ("layer", "category", "status", "announced", "started", "opened", "precision",
             "checked")}
    return {
        "selected": column.TextColumn("●", help=t("table_selected", lang), width=40),
        "name": column.TextColumn(t("table_name", lang)),
        **text,
        "planned_year": column.NumberColumn(t("planned_year", lang), format="%d"),
        "area_ha": column.NumberColumn(t("table_area", lang), format="%.1f ha"),
        "distance_km": column.NumberColumn(t("table_distance", lang).format(name=origin),
                                           format="%.1f km"),
        # The link's text is its site (www.pref.kumamoto.jp), not the whole address.
        "source": column.LinkColumn(t("table_source", lang),
                                    display_text=r"https?://(?:www\.)?([^/]+)"),
    }


def choose_row() -> None:
    """A row chosen in the table selects its feature (details open, the map flies)."""
    rows = st.session_state[TABLE]["selection"]["rows"]
    ids = st.session_state.get(TABLE_IDS, ())
    if rows and rows[0] < len(ids):
        select_on_stage(*ids[rows[0]])


@st.fragment(key=FEATURE_TABLE)
def show_table(result: LoadResult, view: View, lang: Lang) -> None:
    """The feature table: a fragment, rerun with the map and its panel when the selection
    changes, so that its mark of the selected feature follows without a rerun of the page."""
    pace_part_run()
    if not view.feature_count:
        st.info(t("nothing_shown", lang))
        return
    rows = table_rows(view, result.catalog, lang, distances(result, view),
                      st.session_state.get(SELECTED))
    st.session_state[TABLE_IDS] = tuple((row.feature_id, row.layer_id) for row in rows)
    st.caption(t("table_help", lang))
    st.dataframe(table_columns(rows), key=TABLE, on_select=choose_row,
                 selection_mode="single-row", hide_index=True, placeholder="",
                 column_config=column_config(result, lang))


# --- Charts ------------------------------------------------------------------------------

def choose_bar() -> None:
    """A bar chosen in the timeline selects its feature."""
    picked = st.session_state[TIMELINE]["selection"].get("pick") or []
    feature_id = picked[0].get("feature_id") if picked else None
    if isinstance(feature_id, str):
        select_on_stage(feature_id)


def show_charts(result: LoadResult, view: View, year: int | None, lang: Lang) -> None:
    if not view.feature_count:
        st.info(t("nothing_shown", lang))
        return
    until = as_of_position(year, date.today())
    colors = layer_colors(view, lang)
    phases = timeline_phases(view, lang, until)
    chart = timeline_chart(phases, event_marks(result.events, year, lang), until, colors, lang,
                           # The rule follows the year the map shows (shown.py).
                           AS_OF_INPUT)
    if chart is not None:
        st.markdown(f"#### {t('chart_timeline', lang)}")
        st.caption(t("chart_timeline_help", lang))
        # Only bars can be picked: a year with events but no dated feature yet (2013-2020
        # in the data) has none, and Streamlit refuses a selection the chart lacks.
        st.altair_chart(chart, width="stretch", key=TIMELINE,
                        on_select=choose_bar if phases else "ignore", selection_mode="pick")
    catalog = result.catalog
    summaries = [
        (t("chart_layers", lang), bar_chart(layer_counts(view, lang), t("chart_count", lang),
                                            t("layer", lang), colors=colors)),
        (t("chart_areas", lang), bar_chart(zone_areas(view, lang), t("table_area", lang),
                                           t("layer", lang), t("status", lang))),
        (t("chart_origins", lang), bar_chart(
            count_amounts(count_by(view, "origin"), lambda code: country_name(code, lang)),
            t("chart_count", lang), t("origin", lang))),
        (t("chart_sectors", lang), bar_chart(
            count_amounts(count_by(view, "sector"),
                          lambda key: catalog.term("sectors", key, lang)),
            t("chart_count", lang), t("sector", lang))),
    ]
    drawn = [(title, chart) for title, chart in summaries if chart is not None]
    st.markdown(f"#### {t('chart_summary', lang)}")
    for column, (title, summary) in zip(st.columns(2) * 2, drawn, strict=False):
        with column:
            st.markdown(f"**{title}**")
            st.altair_chart(summary, width="stretch")
