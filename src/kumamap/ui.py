"""The page: the one cached loader, the map, details, downloads and the permalink.

Streamlit lives here and in `sidebar` only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from kumamap.assets import BASEMAP_DIR, BUNDLE_DIR, bundle_version, local_assets
from kumamap.catalog import data_version, load_catalog
from kumamap.controls import control_widgets
from kumamap.filters import FilterState, View, apply_filters, first_year
from kumamap.flights import hand_flight
from kumamap.guard import pace_part_run, pace_run, show_slowed_notice, start_housekeeping
from kumamap.held import sidebar_upload
from kumamap.i18n import DEFAULT_LANG, UI_LANGS, t
from kumamap.mapclick import hear_clicks
from kumamap.mapfirst import ask_for_the_rest, is_first_run, keep_sidebar_room, show_below_map
from kumamap.mapview import (
    LayerSwitch,
    add_page_sync,
    build_base_map,
    layer_groups,
    preset_box,
    ring_group,
    script_text,
)
from kumamap.measure import Ring, rings
from kumamap.model import Lang, Layer, LoadResult, Status
from kumamap.panels import SIDECAR, STAGE, reach_origin, show_link_notices, show_problems
from kumamap.permalink import (
    PARAMS,
    TODAY,
    Choices,
    default_state,
    filter_state,
    filters_of,
    ignored_names,
    link_params,
    open_link,
)
from kumamap.shown import show_count
from kumamap.sidebar import (
    RECONNECTED,
    SELECTED,
    SESSION_TOKEN,
    START_VIEW,
    find_widgets,
    first_request,
    read_state,
    view_widgets,
    widget_values,
    widgets_from_browser,
)
from kumamap.sidecar import show_clicked, show_panel
from kumamap.story import chapter_choices
from kumamap.tabs import open_linked_chapter
from kumamap.views import PRESETS

# The map frame's one script and stylesheet (assets/bundle) and the outline basemap are
# served by this app, not a CDN: registering a folder as a component folder makes
# Streamlit serve it (with JS/CSS content types) beside the map component, so the map
# works offline and behind strict firewalls.
BUNDLE_COMPONENT = "kumamap_bundle"
BASEMAP_COMPONENT = "kumamap_basemap"
components.declare_component(BUNDLE_COMPONENT, path=str(BUNDLE_DIR))
components.declare_component(BASEMAP_COMPONENT, path=str(BASEMAP_DIR))
# Relative to the map component's own page (/component/streamlit_folium.../index.html),
# so it also works under a server.baseUrlPath.
PAGE_ASSETS = local_assets(*(f"../{__name__}.{name}" for name in (
    BUNDLE_COMPONENT, BASEMAP_COMPONENT)), version=bundle_version())
LINK_NOTICES = "link_notices"

__all__ = ["SELECTED", "page"]


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_load(root: str, version: str) -> LoadResult:
    """Load and validate once per process and data version (names, sizes, times).

    A resource, not data: the result is immutable (frozen dataclasses), so every session
    shares one copy instead of unpickling its own on each rerun (measured: 0.37 s of a
    1.19 s rerun with 10,000 features).
    """
    del version  # only part of the cache key
    return load_catalog(Path(root))


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_rings(center_geometry: dict) -> tuple[Ring, ...]:
    """The distance rings, computed once per origin: projecting them takes ~23 ms, a
    quarter of a rerun, and the origin does not move between reruns."""
    return rings(center_geometry)


def year_options(result: LoadResult) -> list[int]:
    features = result.features
    years = [y for f in features if (y := first_year(f))]
    years += [int(e.date[:4]) for e in result.events]
    years += [f.planned_year for f in features if f.planned_year]
    if not years:
        return [TODAY]
    return [*range(min(years), max(years) + 1), TODAY]


def prefecture_names(result: LoadResult, lang: Lang) -> dict[str, str]:
    """JIS code -> prefecture name, taken from the prefecture features themselves."""
    category = result.catalog.prefecture_category
    return {f.prefecture: f.name.pick(lang) for f in result.features
            if category and f.category == category and f.prefecture}


def page_choices(result: LoadResult) -> Choices:
    """The options of every link parameter; a link may only ask for these."""
    features = result.features
    return {
        "lang": UI_LANGS, "preset": tuple(PRESETS), "year": year_options(result),
        "layers": [layer.id for layer in result.layers],
        "category": sorted({f.category for f in features}),
        "status": [status.value for status in Status],
        "prefecture": sorted(prefecture_names(result, DEFAULT_LANG)),
        "origin": sorted({f.origin for f in features if f.origin}),
        "sector": [key for key, _ in result.catalog.terms("sectors")
                   if any(f.sector == key for f in features)],
        "sel": [f.id for f in features],
        "chapter": chapter_choices(result.chapters),
    }


def overlay_groups(result: LoadResult, show_rings: bool) -> list:
    """What the map draws besides the data: distance rings (a flight is no group: it
    comes through the page state, flights.py)."""
    origin = reach_origin(result)
    if show_rings and origin is not None:
        return [ring_group(cached_rings(origin.geometry))]
    return []


def show_map(result: LoadResult, version: str, layers: tuple[Layer, ...], view: View,
             state: dict) -> None:
    """Draw the map. It returns nothing, so pan, zoom and clicks rerun nothing here: a
    click on a feature reaches the panel by the page (mapclick, `show_sidecar`).

    `view` holds every feature of every layer, on or off: the browser switches layers and
    applies the filters (js/lib/filters.js). The base map stays in the browser across
    filter changes and the server's requests (it holds none: `first_request`), and so do
    the feature groups: they change with the data, the language and a reader's upload
    only. A flight moves the map through the page state (`hand_flight`).
    """
    lang, session = state["lang"], st.session_state
    first_layers, first_filters = first_request()
    switch = LayerSwitch(requested=first_layers, defaults=result.default_layer_ids,
                         switchable=frozenset(layer.id for layer in result.layers),
                         in_legend=False)
    fmap = build_base_map(layers, lang, PAGE_ASSETS, preset_box(result.layers, state["preset"]),
                          switch, session.get(START_VIEW))
    st_folium(
        add_page_sync(fmap, lang, switch, session[SESSION_TOKEN],
                      filters_of(first_filters)), key="map", height=600,
        use_container_width=True,
        # The catalog's layers have a data version (a reader's upload has none): their
        # collections are built once per version and language (mapdata).
        feature_group_to_add=layer_groups(view, result.catalog, lang,
                                          {layer.id: version for layer in result.layers})
        + overlay_groups(result, state["rings"]),
        returned_objects=[],
    )
    hand_flight(layers)


def read_link(result: LoadResult, choices: Choices) -> dict[str, Any]:
    """Once per session, before any widget: set the widgets to what the opened link asks
    for, and remember what of it is ignored (said in the page, never a crash).

    A page that reconnects here from a server process that is gone brings its widgets'
    values, which are newer than its URL (the action that started this run is not in it
    yet): they are kept, and the link gives the rest (selection, layers, chapter, view).
    """
    default = default_state(result.default_layer_ids)
    if LINK_NOTICES not in st.session_state:
        params = {name: st.query_params.get_all(name) for name in st.query_params}
        opened = open_link(params, choices, default)
        sent = widgets_from_browser()
        st.session_state.update({key: value for key, value
                                 in widget_values(opened.state, result.layers).items()
                                 if key not in sent})
        st.session_state[LINK_NOTICES] = opened.notices
        for name in ignored_names(params):
            del st.query_params[name]
        st.session_state[RECONNECTED] = bool(sent)
        if opened.view is not None:
            st.session_state[START_VIEW] = (opened.view.center, opened.view.zoom)
    return default


def keep_link(state: dict[str, Any], default: dict[str, Any]) -> None:
    """Write the page state into the URL (changed parameters only). The view (lat, lon,
    z) is the map's own: it writes it in the browser, and it stays as it is."""
    wanted = link_params(state, default)
    for param in PARAMS:
        if param.name not in wanted and param.name in st.query_params:
            del st.query_params[param.name]
    for name, values in wanted.items():
        if st.query_params.get_all(name) != values:
            st.query_params[name] = values


def show_page_style() -> None:
    """The page's layout (js/page.css): our own file, no data in it. Through Markdown, as
    Streamlit 1.67 puts an `st.html` holding only a style into a part of the page that did
    not draw it (no style applied in Chromium)."""
    st.markdown(f"<style>{script_text('page.css')}</style>", unsafe_allow_html=True)


def show_header(count: int, state: dict[str, Any], years: list[int], lang: Lang) -> None:
    """One line above the map: the title (the subtitle in its help) and the count of
    `state`, the server's and then the map's in the browser (`shown`)."""
    with st.container(key="head", horizontal=True, vertical_alignment="center"):
        st.title(t("title", lang), anchor=False, width="content",
                 help=f"{t('subtitle', lang)}\n\n{t('click_hint', lang)}")
        st.markdown(f"{count} {t('shown', lang)}", width="content")
        show_count(count, state, years, lang)


def sidebar(result: LoadResult, choices: Choices) -> dict[str, Any]:
    """Every sidebar widget; returns the page state they hold."""
    lang = view_widgets(choices)
    find_widgets(result, lang)
    control_widgets(result, choices, lang, prefecture_names(result, lang))
    return read_state(result.layers)


def page(root: Path) -> None:
    """The whole page: load -> link -> sidebar -> filter -> map + details -> tabs (the
    sidebar's widgets and the tabs from the second run of a session on: mapfirst)."""
    pace_run()
    start_housekeeping()
    first_run = is_first_run()
    version = data_version(root)
    result = cached_load(str(root), version)
    choices = page_choices(result)
    default = read_link(result, choices)
    open_linked_chapter(result)
    if first_run:
        # The sidebar's widgets follow with the rest (mapfirst): the browser drew each of
        # them, fetching its code, before it started the map's frame (benchmarks/README.md,
        # "Issue 22 closed"). Nothing can be uploaded before the uploader is there.
        state = read_state(result.layers)
        upload, upload_problems = None, ()
        keep_sidebar_room()
    else:
        state = sidebar(result, choices)
        upload, upload_problems = sidebar_upload(result, state["lang"])
    lang = state["lang"]
    layers, filters = result.layers, filter_state(state)
    # A file with no valid feature adds nothing to draw, only its problems: a layer more
    # would change the base map (its credits and panes), and the map would be drawn anew.
    if upload is not None and upload.features:
        layers += (upload,)
        filters = replace(filters, layer_ids=filters.layer_ids | {upload.id})
    show_page_style()
    view = apply_filters(layers, filters)
    show_header(view.feature_count, state, choices["year"], lang)
    # One place for every notice, there on every run: a notice that came or went before
    # the map would move it down or up the page, and Streamlit would draw a new map frame
    # (the whole map sent again, the reader's view lost).
    with st.container(key="notices"):
        show_link_notices(st.session_state[LINK_NOTICES], lang)
        show_slowed_notice(lang)
        show_problems(result.problems + upload_problems, lang)
    # The map gets every feature of every layer: switching and filtering are the browser's.
    map_view = apply_filters(layers, FilterState(frozenset(l.id for l in layers)))
    show_stage(result, version, layers, map_view, view, state, default)
    if first_run:
        ask_for_the_rest()
    else:
        show_below_map(result, view, filters.year, state)


@st.fragment(key=STAGE)
def show_stage(result: LoadResult, version: str, layers: tuple[Layer, ...], map_view: View,
               view: View, state: dict[str, Any], default: dict[str, Any]) -> None:
    """The map and its panel, and the link: a fragment, so that a selection below the map
    reruns only this part of the page, not the sidebar and the tabs. The arguments are
    those of the last full run; a change of what the map shows (a filter, a chapter, a
    language) is a full run.
    """
    pace_part_run()
    # The map and its panel keep their places in the page on every run (a map moved to
    # another place would be drawn anew); page.css gives the map the panel's room while
    # the panel is closed.
    with st.container(key="stage"):
        map_column, panel_column = st.columns([5, 2])
        with map_column:
            show_map(result, version, layers, map_view, state)
        with panel_column:
            show_sidecar(result, layers, view, state, default)


@st.fragment(key=SIDECAR)
def show_sidecar(result: LoadResult, layers: tuple[Layer, ...], view: View,
                 state: dict[str, Any], default: dict[str, Any]) -> None:
    """The panel and the link, a fragment inside the stage: a click on the map (heard here)
    or a closed panel reruns only these, not the map, whose every run sends the whole map
    again."""
    pace_part_run()
    # First: in the same place whether or not the panel is drawn, so it is never mounted
    # anew (a click meanwhile would be lost).
    hear_clicks(result, show_clicked, st.session_state.get(SELECTED))
    show_panel(result, layers, view, state["lang"])
    keep_link(read_state(result.layers), default)
