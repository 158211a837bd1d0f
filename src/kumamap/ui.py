"""Streamlit widgets and the one cached loader. The only module that imports streamlit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
import xstatic.pkg.leaflet
from streamlit_folium import st_folium

from kumamap.catalog import load_catalog, newest_mtime
from kumamap.details import escape_markdown, render_details, render_event, render_reach
from kumamap.export import FORMATS, export, export_file
from kumamap.filters import FilterState, Shown, View, apply_filters, events_until, first_year
from kumamap.i18n import DEFAULT_LANG, LANGUAGE_NAMES, STATUS_NAMES, UI_LANGS, t
from kumamap.mapview import (
    PRESET_VIEWS,
    VENDOR_DIR,
    build_base_map,
    fly_group,
    layer_groups,
    local_assets,
    ring_group,
)
from kumamap.measure import Ring, reach, rings
from kumamap.model import Feature, Lang, Layer, LoadResult, Problem, Status, find_feature
from kumamap.permalink import (
    LINK_PARAMS,
    Choices,
    LinkState,
    Notice,
    default_state,
    link_params,
    open_link,
)
from kumamap.search import bounds, search
from kumamap.upload import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES, read_upload

# Leaflet is served by this app, not a CDN: registering the package's folder as a
# component folder makes Streamlit serve it (with JS/CSS content types) beside the
# map component, so the map works offline and behind strict firewalls.
ASSET_COMPONENT = "kumamap_assets"
VENDOR_COMPONENT = "kumamap_vendor"
components.declare_component(ASSET_COMPONENT, path=xstatic.pkg.leaflet.BASE_DIR)
components.declare_component(VENDOR_COMPONENT, path=str(VENDOR_DIR))
# Relative to the map component's own page (/component/streamlit_folium.../index.html),
# so it also works under a server.baseUrlPath.
_LEAFLET = f"../{__name__}.{ASSET_COMPONENT}"
_VENDOR = f"../{__name__}.{VENDOR_COMPONENT}"
LOCAL_ASSETS = local_assets(_LEAFLET, _VENDOR)
NOW = 0  # the "as of year" value meaning today, i.e. no year filter
# Session state keys.
SELECTED = "selected_feature"
FLIGHT = "flight"  # (feature id, request number): move the map there on this run
FLIGHTS = "flights"  # how many flights this session has asked for
START_VIEW = "start_view"  # ((lat, lon), zoom) from an opened link, until a preset is chosen
LINK_NOTICES = "link_notices"
RINGS = "rings"
FIND = "find"
MAX_FOUND = 6


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_load(root: str, version: float) -> LoadResult:
    """Load and validate once per process and data version (newest file mtime).

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


def page_choices(result: LoadResult) -> Choices:
    """The options of the sidebar; a link may only ask for these."""
    return Choices(
        langs=UI_LANGS, presets=tuple(PRESET_VIEWS), years=year_options(result),
        categories=sorted({f.category for layer in result.layers for f in layer.features}),
        prefectures=sorted(prefecture_names(result, DEFAULT_LANG)),
    )


def layer_key(layer_id: str) -> str:
    return f"layer_{layer_id}"


def widget_values(state: LinkState, result: LoadResult) -> dict[str, object]:
    """Session state of every sidebar widget for a link state (widgets get no defaults of
    their own: this is the one place that sets them)."""
    filters = state.filters
    values: dict[str, object] = {
        "lang": state.lang, "preset": state.preset, RINGS: state.rings,
        "category": sorted(filters.categories), "status": sorted(filters.statuses),
        "year": filters.year or NOW, "prefecture": sorted(filters.prefectures),
        "text": filters.text,
    }
    for layer in result.layers:
        values[layer_key(layer.id)] = layer.id in filters.layer_ids
    if state.selected:
        values[SELECTED] = state.selected
    return values


def sidebar(result: LoadResult, choices: Choices) -> tuple[Lang, FilterState, str]:
    """All sidebar widgets; returns language, filters and preset view."""
    bar = st.sidebar
    lang: Lang = bar.radio("Language / 言語 / 語言", choices.langs, key="lang",
                           format_func=LANGUAGE_NAMES.__getitem__, horizontal=True)
    preset = bar.radio(
        t("view", lang), choices.presets, format_func=lambda v: t(f"view_{v}", lang),
        key="preset", horizontal=True,
        # A chosen preset replaces the view a shared link opened with.
        on_change=lambda: st.session_state.pop(START_VIEW, None),
    )
    find_widgets(result, lang)
    bar.subheader(t("layers", lang))
    layer_ids = frozenset(
        layer.id for layer in result.layers
        # Widget labels render Markdown: escape the catalog's titles like any data text.
        if bar.checkbox(escape_markdown(layer.title.pick(lang)), key=layer_key(layer.id))
    )
    bar.checkbox(t("rings", lang), key=RINGS, help=t("rings_help", lang))
    return lang, filter_widgets(result, choices, lang, layer_ids), preset


def select(feature_id: str, layer_id: str | None = None) -> None:
    """Select a feature, make sure its layer is on, and fly the map to it."""
    st.session_state[SELECTED] = feature_id
    if layer_id is not None:
        st.session_state[layer_key(layer_id)] = True
    # Numbered for the whole session (the pending flight itself is used up when drawn).
    st.session_state[FLIGHTS] = st.session_state.get(FLIGHTS, 0) + 1
    st.session_state[FLIGHT] = (feature_id, st.session_state[FLIGHTS])


def find_widgets(result: LoadResult, lang: Lang) -> None:
    """Find a place by name: the best match is selected and flown to; others are offered."""
    bar = st.sidebar

    def on_find() -> None:
        found = search(result.layers, st.session_state[FIND], st.session_state["lang"], 1)
        if found:
            select(found[0].feature_id, found[0].layer_id)

    query = bar.text_input(t("find", lang), key=FIND, on_change=on_find,
                           placeholder=t("find_placeholder", lang), help=t("find_help", lang))
    if not query.strip():
        return
    found = search(result.layers, query, lang, MAX_FOUND)
    if not found:
        bar.caption(t("find_none", lang))
    for match in found[1:]:
        bar.button(escape_markdown(match.label), key=f"found_{match.feature_id}",
                   on_click=select, args=(match.feature_id, match.layer_id))


def filter_widgets(result: LoadResult, choices: Choices, lang: Lang,
                   layer_ids: frozenset[str]) -> FilterState:
    bar = st.sidebar
    bar.subheader(t("filters", lang))
    chosen_categories = bar.multiselect(
        t("category", lang), choices.categories, key="category", placeholder=t("choose", lang),
        format_func=lambda c: result.catalog.category_title(c, lang),
    )
    statuses = bar.multiselect(
        t("status", lang), list(Status), key="status", placeholder=t("choose", lang),
        format_func=lambda s: STATUS_NAMES[s].pick(lang),
    )
    year = bar.select_slider(
        t("year", lang), choices.years, key="year", help=t("year_help", lang),
        format_func=lambda y: t("all_years", lang) if y == NOW else str(y),
    )
    names = prefecture_names(result, lang)
    prefectures = bar.multiselect(
        t("prefecture", lang), choices.prefectures, key="prefecture",
        format_func=names.__getitem__, placeholder=t("choose", lang),
    )
    return FilterState(
        layer_ids=layer_ids,
        categories=frozenset(chosen_categories),
        statuses=frozenset(statuses),
        year=None if year == NOW else year,
        prefectures=frozenset(prefectures),
        text=bar.text_input(t("search", lang), key="text"),
    )


def overlay_groups(result: LoadResult, layers: tuple[Layer, ...]) -> list:
    """What the map draws besides the data: distance rings, and a flight if one is asked."""
    groups = []
    origin = reach_origin(result)
    if st.session_state.get(RINGS) and origin is not None:
        groups.append(ring_group(cached_rings(origin.geometry)))
    flight = st.session_state.pop(FLIGHT, None)
    target = find_feature(layers, flight[0]) if flight else None
    if target is not None:
        groups.append(fly_group(bounds(target[1].geometry), flight[1]))
    return groups


def show_map(result: LoadResult, layers: tuple[Layer, ...], view: View, lang: Lang,
             preset: str) -> None:
    """Draw the map; a click on a feature selects it (pan and zoom return nothing).

    The base map stays in the browser across filter changes; only the feature groups
    are sent again.
    """
    fmap = build_base_map(layers, lang, LOCAL_ASSETS, preset, st.session_state.get(START_VIEW))
    returned = st_folium(
        fmap, key="map", height=600, use_container_width=True,
        feature_group_to_add=layer_groups(view, lang) + overlay_groups(result, layers),
        returned_objects=["last_active_drawing"],
    )
    clicked = (returned or {}).get("last_active_drawing") or {}
    clicked_id = (clicked.get("properties") or {}).get("id")
    if isinstance(clicked_id, str) and clicked_id != st.session_state.get("last_clicked"):
        st.session_state["last_clicked"] = clicked_id
        st.session_state[SELECTED] = clicked_id


def reach_origin(result: LoadResult) -> Feature | None:
    found = result.feature(result.catalog.reach_origin)
    return found[1] if found else None


def stations(result: LoadResult) -> list[Feature]:
    category = result.catalog.station_category
    return [f for layer in result.layers for f in layer.features if f.category == category]


def selected_item(layers: tuple[Layer, ...], view: View) -> tuple[Shown, Layer, bool] | None:
    """The selected feature as shown, or as in the data when filters hide it (False)."""
    feature_id = st.session_state.get(SELECTED)
    shown = view.find(feature_id)
    if shown is not None:
        return (*shown, True)
    found = find_feature(layers, feature_id)
    if found is None:
        return None
    layer, feature = found
    return Shown(feature, feature.status), layer, False


def show_details(result: LoadResult, layers: tuple[Layer, ...], view: View, lang: Lang) -> None:
    st.subheader(t("details", lang))
    item = selected_item(layers, view)
    with st.container(key="details"):
        if item is None:
            st.info(t("click_hint", lang))
            return
        shown, layer, on_map = item
        if not on_map:
            st.caption(t("not_shown", lang))
        st.button(t("locate", lang), key="locate", on_click=select, args=(shown.feature.id,))
        st.markdown(render_details(shown, layer, result.catalog, lang, result.events))
        origin = reach_origin(result)
        distances = render_reach(reach(shown.feature, origin, stations(result)), origin, lang)
        if distances:
            st.markdown(distances)


def show_downloads(view: View, lang: Lang, preset: str) -> None:
    """Download what is shown; each file is made only when its button is pressed."""
    st.caption(t("export_help", lang))
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS):
        file_name, mime = export_file(fmt)
        column.download_button(
            t(f"export_{fmt}", lang), key=f"export_{fmt}", file_name=file_name, mime=mime,
            data=lambda fmt=fmt: export(view, lang, fmt, preset)[0], on_click="ignore",
        )


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


def read_link(result: LoadResult, choices: Choices) -> LinkState:
    """Once per session, before any widget: set the widgets to what the opened link asks
    for, and remember what of it is ignored (said in the page, never a crash)."""
    default = default_state(result, DEFAULT_LANG, next(iter(PRESET_VIEWS)))
    if LINK_NOTICES not in st.session_state:
        params = {name: st.query_params.get_all(name) for name in st.query_params}
        opened = open_link(params, result, choices, default)
        st.session_state.update(widget_values(opened.state, result))
        st.session_state[LINK_NOTICES] = opened.notices
        if opened.view is not None:
            st.session_state[START_VIEW] = (opened.view.center, opened.view.zoom)
    return default


def show_link_notices(notices: tuple[Notice, ...], lang: Lang) -> None:
    if notices:
        items = "\n".join(
            f"- {escape_markdown(f'{n.param}={n.shown_value}')}: {t(f'link_{n.reason}', lang)}"
            for n in notices
        )
        st.warning(f"{t('link_ignored', lang)}\n\n{items}")


def keep_link(state: LinkState, default: LinkState) -> None:
    """Write the page state into the URL (changed parameters only). The view (lat, lon,
    z) is the map's own: it writes it in the browser, and it stays as it is."""
    wanted = link_params(state, default)
    for name in set(LINK_PARAMS) - set(wanted):
        if name in st.query_params:
            del st.query_params[name]
    for name, values in wanted.items():
        if st.query_params.get_all(name) != values:
            st.query_params[name] = values


def page(root: Path) -> None:
    """The whole page: load -> link -> sidebar -> filter -> map + details."""
    result = load_data(root)
    choices = page_choices(result)
    default = read_link(result, choices)
    lang, state, preset = sidebar(result, choices)
    upload, upload_problems = sidebar_upload(result, lang)
    layers, filters = result.layers, state
    if upload is not None:
        layers += (upload,)
        state = replace(state, layer_ids=state.layer_ids | {upload.id})
    st.title(t("title", lang))
    st.caption(t("subtitle", lang))
    show_link_notices(st.session_state[LINK_NOTICES], lang)
    show_problems(result.problems + upload_problems, lang)
    view = apply_filters(layers, state)
    st.caption(f"{view.feature_count} {t('shown', lang)}")
    map_column, details_column = st.columns([3, 2])
    with map_column:
        show_map(result, layers, view, lang, preset)
        show_downloads(view, lang, preset)
    with details_column:
        show_details(result, layers, view, lang)
    show_timeline(result, state.year, lang)
    selected = st.session_state.get(SELECTED)
    keep_link(LinkState(lang, preset, filters, st.session_state[RINGS], selected), default)
