"""The sidebar's widgets: one per link parameter (`permalink.PARAMS`), keyed by its name.

Widgets get no defaults of their own: the page state (from the opened link, then from the
widgets) is the one place that sets them, so the URL and the widgets always agree. The
layers are the exception: their switch (components/layer_switch) shows and hides them in
the map at once, in the browser, and reports to the server after.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.runtime.uploaded_file_manager import DeletedFile

from kumamap.details import escape_markdown
from kumamap.i18n import LANGUAGE_NAMES, STATUS_NAMES, country_name, t
from kumamap.model import Lang, Layer, LoadResult, Status
from kumamap.permalink import BY_NAME, PARAMS, TODAY, Choices, ParamKind
from kumamap.search import search

START_VIEW = "start_view"  # ((lat, lon), zoom) from an opened link, until a preset is chosen
SELECTED = BY_NAME["sel"].widget_key or "sel"
# (feature id or (south, west, north, east), request number): move the map there on this run
FLIGHT = "flight"
FLIGHTS = "flights"  # how many flights this session has asked for
FIND = "find"
MAX_FOUND = 6


# The layers that are on, as the server knows them; the server's own requests (a link, a
# chapter, a found place) are numbered, and what the reader switches in the browser after
# a request counts until the next one.
VISIBLE = "visible_layers"
LAYER_REQUEST = "layer_request"
REQUESTED = "requested_layers"
KNOWN_LAYERS = "known_layers"
# Tells this session's frames (map, layer switch) from another tab's.
SESSION_TOKEN = "session_token"
# Set for the first run of a session that a page already open reconnected to (its server
# died or was restarted): the layer switch's report is then the page's, whatever its number.
RECONNECTED = "reconnected"
# The reader's file uploader; it gets a new key for each upload lost with its server.
UPLOAD = "upload"
# Widget key -> how often the server has set that widget (see `widget_key`).
GENERATIONS = "widget_generations"
layer_switch = components.declare_component(
    "layer_switch", path=str(Path(__file__).parent / "components" / "layer_switch"))
# The one owner of the layer state in the browser is components/layer_switch/page_state.js:
# the switch loads it from its folder, the map frame with its bundle (bundle.py).


def request_layers(layer_ids: frozenset[str]) -> None:
    """Show exactly these layers: a request of the server, which the map and the switch
    follow even if the reader switched others since the last one."""
    st.session_state[VISIBLE] = layer_ids
    st.session_state[REQUESTED] = layer_ids
    st.session_state[LAYER_REQUEST] = st.session_state.get(LAYER_REQUEST, 0) + 1


def widget_key(name: str) -> str:
    """A widget's key now: its name, then a new key (`year_2`) each time the server sets it.
    A request the page sends while the server's answer to the last one is on its way (a
    map click reported late) carries the widget values from before that answer, which
    would undo what the server set (a chapter, its year). A value for an older key is of a
    widget not drawn any more, which Streamlit drops."""
    generation = st.session_state.get(GENERATIONS, {}).get(name, 0)
    return f"{name}_{generation}" if generation else name


def renew_widget(name: str) -> str:
    """Give a widget a new key (drawn empty, or with a value set for it)."""
    generations = st.session_state.get(GENERATIONS, {})
    st.session_state[GENERATIONS] = {**generations, name: generations.get(name, 0) + 1}
    return widget_key(name)


def set_widget(name: str, value: Any) -> None:
    st.session_state[renew_widget(name)] = value  # before the widget is drawn


def widget_values(state: dict[str, Any], layers: Sequence[Layer]) -> dict[str, Any]:
    """Session state of every sidebar widget for a page state."""
    values: dict[str, Any] = {VISIBLE: state["layers"], REQUESTED: state["layers"],
                              LAYER_REQUEST: 0, KNOWN_LAYERS: frozenset(l.id for l in layers),
                              SESSION_TOKEN: secrets.token_hex(8)}
    for param in PARAMS:
        key, value = param.widget_key, state[param.name]
        if key is None or value is None:
            continue
        values[key] = sorted(value) if param.kind is ParamKind.MANY else value
    return values


def widgets_from_browser() -> frozenset[str]:
    """Keys of the widgets whose values the browser sent for this run.

    Empty on a page's first run; not empty when a page that was open on another server
    process (a replica that died, a restarted server) reconnects and starts a new session
    here: its widgets then hold the reader's latest values, newer than its URL, which is
    written at the end of a run. Streamlit has no public call for this (session state hides
    a widget's value until the widget is drawn), so this reads its internal state, and says
    "none" (a newly opened page) if that ever changes.
    """
    context = get_script_run_ctx()
    try:
        element_ids = context.session_state._state._new_widget_state.states  # type: ignore[union-attr]
    except AttributeError:
        return frozenset()
    return frozenset(key for element_id in element_ids
                     if isinstance(element_id, str) and (key := user_key_from_element_id(element_id)))


def read_state(layers: Sequence[Layer]) -> dict[str, Any]:
    """The page state as the widgets hold it now (after they were drawn)."""
    session = st.session_state
    known = {layer.id for layer in layers}
    state: dict[str, Any] = {"layers": frozenset(session.get(VISIBLE, ())) & known}
    for param in PARAMS:
        if param.widget_key is not None:
            value = session.get(widget_key(param.widget_key), param.default)
            state[param.name] = frozenset(value) if param.kind is ParamKind.MANY else value
    return state


def keep_choices(key: str, options: Sequence[Any], default: Any) -> None:
    """Drop a widget value the options no longer offer (the data changed under an open
    session), so the widget draws instead of failing, and the session recovers."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        st.session_state[key] = [item for item in value if item in options]
    elif value is not None and value not in options:
        st.session_state[key] = default


def multiselect(name: str, options: Sequence[Any], lang: Lang,
                label: Callable[[Any], str]) -> None:
    """The multiselect of one MANY parameter; drawn only when it has something to offer."""
    keep_choices(name, options, [])
    if options:
        st.sidebar.multiselect(t(name, lang), options, key=name, format_func=label,
                               placeholder=t("choose", lang))


def keep_widget_values() -> None:
    """On a change of language: send every widget's value back to the browser as the page's
    own state. The browser keeps a choice as its translated label, which the new language
    no longer offers, so the widget would start again from its first option (the year went
    back to 1969). Only then: a value sent on every run would overwrite what the reader is
    typing meanwhile."""
    for param in PARAMS:
        key = param.widget_key and widget_key(param.widget_key)
        if key is not None and key in st.session_state:
            st.session_state[key] = st.session_state[key]


def view_widgets(choices: Choices) -> Lang:
    bar = st.sidebar
    keep_choices("lang", choices["lang"], choices["lang"][0])
    lang: Lang = bar.radio("Language / 言語 / 語言", choices["lang"], key="lang",
                           format_func=LANGUAGE_NAMES.__getitem__, horizontal=True,
                           on_change=keep_widget_values)
    keep_choices("preset", choices["preset"], choices["preset"][0])
    bar.radio(
        t("view", lang), choices["preset"], format_func=lambda v: t(f"view_{v}", lang),
        key="preset", horizontal=True,
        # A chosen preset replaces the view a shared link opened with.
        on_change=lambda: st.session_state.pop(START_VIEW, None),
    )
    return lang


def recover_layers(layers: Sequence[Layer]) -> None:
    """A layer new to this session (the data was fixed or extended while it was open)
    starts as the catalog says, not switched off."""
    session = st.session_state
    new = {layer.id for layer in layers} - session.get(KNOWN_LAYERS, frozenset())
    if new:
        session[KNOWN_LAYERS] = session.get(KNOWN_LAYERS, frozenset()) | new
        shown = {layer.id for layer in layers if layer.id in new and layer.visible}
        if shown:
            request_layers(frozenset(session.get(VISIBLE, ())) | shown)


def layer_widgets(layers: Sequence[Layer], lang: Lang) -> None:
    bar = st.sidebar
    bar.subheader(t("layers", lang))
    recover_layers(layers)
    session = st.session_state
    with bar:
        switched = layer_switch(
            layers=[{"id": layer.id, "label": layer.title.pick(lang), "color": layer.color}
                    for layer in layers],
            visible=sorted(session[VISIBLE]), request=session[LAYER_REQUEST],
            session=session[SESSION_TOKEN], legend=t("layers", lang), lang=lang,
            key="layer_switch", default=None)
    reconnected = session.pop(RECONNECTED, False)
    wanted = switched.get("visible") if isinstance(switched, dict) else None
    if isinstance(wanted, list):
        known = frozenset(wanted) & {layer.id for layer in layers}
        if reconnected and known != session[VISIBLE]:
            # A reconnected page: its switch holds the reader's latest layers, numbered by
            # the session that is gone, and was drawn above with the link's (one action
            # behind). Adopt them as a request, which the switch and the map follow.
            request_layers(known)
            st.rerun()
        # The reader's switching counts only within the server's latest request.
        elif switched.get("request") == session[LAYER_REQUEST]:
            session[VISIBLE] = known
    bar.checkbox(t("rings", lang), key="rings", help=t("rings_help", lang))


def filter_widgets(result: LoadResult, choices: Choices, lang: Lang,
                   prefecture_names: dict[str, str]) -> None:
    bar = st.sidebar
    bar.subheader(t("filters", lang))
    catalog = result.catalog
    multiselect("category", choices["category"], lang, lambda c: catalog.category_title(c, lang))
    multiselect("status", choices["status"], lang, lambda s: STATUS_NAMES[Status(s)].pick(lang))
    year = widget_key("year")
    keep_choices(year, choices["year"], TODAY)
    bar.select_slider(
        t("year", lang), choices["year"], key=year, help=t("year_help", lang),
        format_func=lambda y: t("all_years", lang) if y == TODAY else str(y),
    )
    multiselect("prefecture", choices["prefecture"], lang, prefecture_names.__getitem__)
    multiselect("origin", choices["origin"], lang, lambda code: country_name(code, lang))
    multiselect("sector", choices["sector"], lang, lambda s: catalog.term("sectors", s, lang))
    bar.text_input(t("search", lang), key="text")


def select(feature_id: str, layer_id: str | None = None) -> None:
    """Select a feature, make sure its layer is on, and fly the map to it."""
    st.session_state[SELECTED] = feature_id
    visible = st.session_state.get(VISIBLE, frozenset())
    if layer_id is not None and layer_id not in visible:
        request_layers(visible | {layer_id})
    fly_to(feature_id)


def fly_to(target: str | tuple[float, float, float, float]) -> None:
    """Move the map to a feature (by id) or a box on the next run."""
    # Numbered for the whole session (the pending flight itself is used up when drawn).
    st.session_state[FLIGHTS] = st.session_state.get(FLIGHTS, 0) + 1
    st.session_state[FLIGHT] = (target, st.session_state[FLIGHTS])


def apply_map_state(layer_ids: Sequence[str], all_layers: Sequence[Layer], year: int | None,
                    selected: str | None, box: tuple[float, float, float, float]) -> None:
    """Show exactly these layers in this year, select a feature (or none) and fly to the box:
    a story chapter's map state. Call it from a widget callback (before the widgets draw)."""
    request_layers(frozenset(layer_ids) & {layer.id for layer in all_layers})
    set_widget("year", TODAY if year is None else year)
    st.session_state[SELECTED] = selected
    fly_to(box)


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
        bar.markdown(t("find_none", lang))
    for match in found[1:]:
        bar.button(escape_markdown(match.label), key=f"found_{match.feature_id}",
                   on_click=select, args=(match.feature_id, match.layer_id))


def upload_key() -> str:
    """The uploader's key: a new one after each lost upload (a widget of a new key is
    drawn empty: the only way the server can clear a file chip)."""
    return widget_key(UPLOAD)


def notice_lost_upload(is_uploaded: bool, lang: Lang) -> None:
    """After a failover the page still shows the chip of a file that stayed in the server
    process that stopped (Streamlit then gives None, as if none were chosen): clear the
    chip and say so, until the reader uploads a file again."""
    if isinstance(st.session_state.get(upload_key()), DeletedFile):
        renew_widget(UPLOAD)
        st.rerun()
    if upload_key() != UPLOAD and not is_uploaded:
        st.sidebar.warning(t("upload_lost", lang), icon=":material/cloud_off:")
