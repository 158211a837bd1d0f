"""The sidebar's widgets: one per link parameter (`permalink.PARAMS`), keyed by its name.

Widgets get no defaults of their own: the page state (from the opened link, then from the
widgets) is the one place that sets them, so the URL and the widgets always agree. The
layers and the filters are the exception: the page's controls (controls.py) show, hide and
restyle features in the map at once, in the browser, and report to the server after.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.runtime.uploaded_file_manager import DeletedFile

from kumamap.details import escape_markdown
from kumamap.i18n import LANGUAGE_NAMES, t
from kumamap.model import Lang, Layer, LoadResult
from kumamap.permalink import BY_NAME, FILTER_PARAMS, PARAMS, TODAY, Choices, ParamKind
from kumamap.search import search

START_VIEW = "start_view"  # ((lat, lon), zoom) from an opened link, until a preset is chosen
SELECTED = BY_NAME["sel"].widget_key or "sel"
# (feature id or (south, west, north, east), its number in the session): the newest place
# the server asked the map to move to; the map flies there once (flights.py)
FLIGHT = "flight"
FLIGHTS = "flights"  # how many flights this session has asked for
FIND = "find"
MAX_FOUND = 6


# The layers that are on and the filters (permalink.FILTER_PARAMS), as the server knows
# them; the server's own requests (a link, a chapter, a found place) are numbered, and what
# the reader switches or filters in the browser after a request counts until the next one.
VISIBLE = "visible_layers"
FILTERS = "filters"
LAYER_REQUEST = "layer_request"
REQUESTED = "requested_layers"
REQUESTED_FILTERS = "requested_filters"
# (layers, filters) of the request the session first drew its map with: see first_request
FIRST_REQUEST = "first_request"
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


def request_page(layer_ids: frozenset[str] | None = None,
                 filters: dict[str, Any] | None = None) -> None:
    """Show exactly these layers and filter by these filters (None: as the server knows
    them): a request of the server, which the map and the controls follow even if the
    reader switched or filtered otherwise since the last one."""
    session = st.session_state
    if layer_ids is not None:
        session[VISIBLE] = layer_ids
    if filters is not None:
        session[FILTERS] = filters
    session[REQUESTED] = session.get(VISIBLE, frozenset())
    session[REQUESTED_FILTERS] = session.get(FILTERS, {})
    session[LAYER_REQUEST] = session.get(LAYER_REQUEST, 0) + 1


def first_request() -> tuple[frozenset[str], dict[str, Any]]:
    """The layers and filters of the server's request when this session first drew its
    map: the map's frame shows them until the page state (the sidebar's controls, drawn
    with the newest request) is there, and then follows it. They stay the same for the
    session, so the base map does too, and the browser keeps the map's frame across the
    server's later requests (a chapter, a found place) instead of getting a new one."""
    session = st.session_state
    if FIRST_REQUEST not in session:
        session[FIRST_REQUEST] = (session[REQUESTED], session[REQUESTED_FILTERS])
    return session[FIRST_REQUEST]


def widget_key(name: str) -> str:
    """A widget's key now: its name, then a new key (`chapter_pick_2`) each time the server
    sets it. A request the page sends while the server's answer to the last one is on its
    way (a map click reported late) carries the widget values from before that answer,
    which would undo what the server set (a chapter; its year is a numbered request). A
    value for an older key is of a widget not drawn any more, which Streamlit drops."""
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
    filters = {param.name: state[param.name] for param in FILTER_PARAMS}
    values: dict[str, Any] = {VISIBLE: state["layers"], REQUESTED: state["layers"],
                              FILTERS: filters, REQUESTED_FILTERS: filters,
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
    filters = session.get(FILTERS, {})
    for param in FILTER_PARAMS:
        state[param.name] = filters.get(param.name, param.default)
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


def select(feature_id: str, layer_id: str | None = None) -> None:
    """Select a feature, make sure its layer is on, and fly the map to it."""
    st.session_state[SELECTED] = feature_id
    visible = st.session_state.get(VISIBLE, frozenset())
    if layer_id is not None and layer_id not in visible:
        request_page(visible | {layer_id})
    fly_to(feature_id)


def fly_to(target: str | tuple[float, float, float, float]) -> None:
    """Move the map to a feature (by id) or a box on the next run."""
    # Numbered for the whole session: the browser flies each number once, however often
    # a run hands it the newest (flights.py).
    st.session_state[FLIGHTS] = st.session_state.get(FLIGHTS, 0) + 1
    st.session_state[FLIGHT] = (target, st.session_state[FLIGHTS])


def apply_map_state(layer_ids: Sequence[str], all_layers: Sequence[Layer], year: int | None,
                    selected: str | None, box: tuple[float, float, float, float]) -> None:
    """Show exactly these layers in this year, select a feature (or none) and fly to the box:
    a story chapter's map state. Call it from a widget callback (before the widgets draw)."""
    filters = {param.name: param.default for param in FILTER_PARAMS}
    request_page(frozenset(layer_ids) & {layer.id for layer in all_layers},
                 {**filters, **st.session_state.get(FILTERS, {}),
                  "year": TODAY if year is None else year})
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
