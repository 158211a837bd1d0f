"""Streamlit widgets and the one cached loader. The only module that imports streamlit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
import xstatic.pkg.leaflet
from streamlit_folium import st_folium

from kumamap.catalog import load_catalog, newest_mtime
from kumamap.details import escape_markdown, render_details, render_event
from kumamap.filters import FilterState, Shown, View, apply_filters, events_until, first_year
from kumamap.i18n import DEFAULT_LANG, LANGUAGE_NAMES, STATUS_NAMES, UI_LANGS, t
from kumamap.mapview import PRESET_VIEWS, Assets, build_base_map, layer_groups
from kumamap.model import Lang, Layer, LoadResult, Problem, Status
from kumamap.upload import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES, read_upload

# Leaflet is served by this app, not a CDN: registering the package's folder as a
# component folder makes Streamlit serve it (with JS/CSS content types) beside the
# map component, so the map works offline and behind strict firewalls.
ASSET_COMPONENT = "kumamap_assets"
VENDOR_COMPONENT = "kumamap_vendor"
VENDOR_DIR = Path(__file__).parent / "assets" / "vendor"
components.declare_component(ASSET_COMPONENT, path=xstatic.pkg.leaflet.BASE_DIR)
components.declare_component(VENDOR_COMPONENT, path=str(VENDOR_DIR))
# Relative to the map component's own page (/component/streamlit_folium.../index.html),
# so it also works under a server.baseUrlPath.
_LEAFLET = f"../{__name__}.{ASSET_COMPONENT}"
_VENDOR = f"../{__name__}.{VENDOR_COMPONENT}"
LOCAL_ASSETS = Assets(
    js=(("leaflet", f"{_LEAFLET}/leaflet.js"),
        ("fullscreen", f"{_VENDOR}/leaflet.fullscreen/Control.FullScreen.js"),
        ("measure", f"{_VENDOR}/leaflet-measure/leaflet-measure.min.js"),
        ("minimap", f"{_VENDOR}/leaflet-minimap/Control.MiniMap.min.js")),
    css=(("leaflet_css", f"{_LEAFLET}/leaflet.css"),
         ("fullscreen_css", f"{_VENDOR}/leaflet.fullscreen/Control.FullScreen.css"),
         ("measure_css", f"{_VENDOR}/leaflet-measure/leaflet-measure.css"),
         ("minimap_css", f"{_VENDOR}/leaflet-minimap/Control.MiniMap.min.css")),
)
NOW = 0  # the "as of year" value meaning today, i.e. no year filter
SELECTED = "selected_feature"


@st.cache_data(show_spinner=False)
def cached_load(root: str, version: float) -> LoadResult:
    """Load and validate once per process and data version (newest file mtime)."""
    del version  # only part of the cache key
    return load_catalog(Path(root))


def load_data(root: Path) -> LoadResult:
    return cached_load(str(root), newest_mtime(root))


def year_options(result: LoadResult) -> list[int]:
    years = [y for layer in result.layers for f in layer.features if (y := first_year(f))]
    years += [int(e.date[:4]) for e in result.events]
    years += [f.planned_year for layer in result.layers for f in layer.features if f.planned_year]
    if not years:
        return [NOW]
    return [*range(min(years), max(years) + 1), NOW]


def prefecture_names(result: LoadResult, lang: Lang) -> dict[str, str]:
    """JIS code -> prefecture name, taken from the prefecture features themselves."""
    names = {}
    for layer in result.layers:
        for feature in layer.features:
            if feature.category == "prefecture" and feature.prefecture:
                names[feature.prefecture] = feature.name.pick(lang)
    return names


def sidebar(result: LoadResult) -> tuple[Lang, FilterState, str]:
    """All sidebar widgets; returns language, filters and preset view."""
    bar = st.sidebar
    lang: Lang = bar.radio(
        "Language / 言語 / 語言", UI_LANGS, format_func=LANGUAGE_NAMES.__getitem__,
        key="lang", horizontal=True, index=UI_LANGS.index(DEFAULT_LANG),
    )
    preset = bar.radio(
        t("view", lang), list(PRESET_VIEWS), format_func=lambda v: t(f"view_{v}", lang),
        key="preset", horizontal=True,
    )
    bar.subheader(t("layers", lang))
    layer_ids = frozenset(
        layer.id for layer in result.layers
        # Widget labels render Markdown: escape the catalog's titles like any data text.
        if bar.checkbox(escape_markdown(layer.title.pick(lang)), value=layer.visible,
                        key=f"layer_{layer.id}")
    )
    return lang, filter_widgets(result, lang, layer_ids), preset


def filter_widgets(result: LoadResult, lang: Lang, layer_ids: frozenset[str]) -> FilterState:
    bar = st.sidebar
    bar.subheader(t("filters", lang))
    categories = sorted({f.category for layer in result.layers for f in layer.features})
    chosen_categories = bar.multiselect(
        t("category", lang), categories, key="category", placeholder=t("choose", lang),
        format_func=lambda c: result.catalog.category_title(c, lang),
    )
    statuses = bar.multiselect(
        t("status", lang), list(Status), key="status", placeholder=t("choose", lang),
        format_func=lambda s: STATUS_NAMES[s].pick(lang),
    )
    year = bar.select_slider(
        t("year", lang), year_options(result), value=NOW, key="year", help=t("year_help", lang),
        format_func=lambda y: t("all_years", lang) if y == NOW else str(y),
    )
    names = prefecture_names(result, lang)
    prefectures = bar.multiselect(
        t("prefecture", lang), sorted(names), key="prefecture", format_func=names.__getitem__,
        placeholder=t("choose", lang),
    )
    return FilterState(
        layer_ids=layer_ids,
        categories=frozenset(chosen_categories),
        statuses=frozenset(statuses),
        year=None if year == NOW else year,
        prefectures=frozenset(prefectures),
        text=bar.text_input(t("search", lang), key="text"),
    )


def show_map(layers: tuple[Layer, ...], view: View, lang: Lang, preset: str) -> None:
    """Draw the map; a click on a feature selects it (pan and zoom return nothing).

    The base map stays in the browser across filter changes; only the feature groups
    are sent again.
    """
    fmap = build_base_map(layers, lang, LOCAL_ASSETS, preset)
    returned = st_folium(
        fmap, key="map", height=600, use_container_width=True,
        feature_group_to_add=layer_groups(view, lang),
        returned_objects=["last_active_drawing"],
    )
    clicked = (returned or {}).get("last_active_drawing") or {}
    clicked_id = (clicked.get("properties") or {}).get("id")
    if isinstance(clicked_id, str) and clicked_id != st.session_state.get("last_clicked"):
        st.session_state["last_clicked"] = clicked_id
        st.session_state[SELECTED] = clicked_id


def find_shown(view: View, feature_id: str | None) -> tuple[Shown, Layer] | None:
    for layer_view in view.layers:
        for shown in layer_view.shown:
            if shown.feature.id == feature_id:
                return shown, layer_view.layer
    return None


def show_details(result: LoadResult, view: View, lang: Lang) -> None:
    st.subheader(t("details", lang))
    found = find_shown(view, st.session_state.get(SELECTED))
    with st.container(key="details"):
        if found is None:
            st.info(t("click_hint", lang))
        else:
            shown, layer = found
            st.markdown(render_details(shown, layer, result.catalog, lang, result.events))


def show_problems(problems: tuple[Problem, ...], lang: Lang) -> None:
    if problems:
        lines = "\n".join(f"- {escape_markdown(str(problem))}" for problem in problems)
        st.error(f"**{t('problems', lang)}**\n\n{lines}")


def show_timeline(result: LoadResult, year: int | None, lang: Lang) -> None:
    with st.expander(t("timeline", lang), expanded=False):
        events = events_until(result.events, year)
        st.markdown("\n".join(render_event(event, lang) for event in events))


@st.cache_data(show_spinner=False, max_entries=4)
def cached_upload(name: str, raw: bytes, taken_ids: frozenset[str]) -> tuple[Layer, tuple[Problem, ...]]:
    return read_upload(name, raw, set(taken_ids))


def sidebar_upload(result: LoadResult, lang: Lang) -> tuple[Layer | None, tuple[Problem, ...]]:
    """The reader's own layer: kept in this session only, never written anywhere."""
    uploaded = st.sidebar.file_uploader(
        t("upload", lang), type=[s.lstrip(".") for s in UPLOAD_SUFFIXES], key="upload",
        help=t("upload_help", lang).format(mb=MAX_UPLOAD_BYTES // 1_000_000),
    )
    if uploaded is None:
        return None, ()
    taken = frozenset(f.id for layer in result.layers for f in layer.features)
    return cached_upload(uploaded.name, uploaded.getvalue(), taken)


def page(root: Path) -> None:
    """The whole page: load -> sidebar -> filter -> map + details."""
    result = load_data(root)
    lang, state, preset = sidebar(result)
    upload, upload_problems = sidebar_upload(result, lang)
    layers = result.layers
    if upload is not None:
        layers += (upload,)
        state = replace(state, layer_ids=state.layer_ids | {upload.id})
    st.title(t("title", lang))
    st.caption(t("subtitle", lang))
    show_problems(result.problems + upload_problems, lang)
    view = apply_filters(layers, state)
    st.caption(f"{view.feature_count} {t('shown', lang)}")
    map_column, details_column = st.columns([3, 2])
    with map_column:
        show_map(layers, view, lang, preset)
    with details_column:
        show_details(result, view, lang)
    show_timeline(result, state.year, lang)
