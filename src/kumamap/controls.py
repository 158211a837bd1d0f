"""The sidebar's page controls: the layers, the filters and the year with its ▶ play.

One custom component (components/layer_switch, plain JS, no build step) draws them. They
act in the browser at once (the map hides, shows and restyles the features it holds,
through the page state both frames share, page_state.js) and report to the server after,
whose rerun updates the count, table, charts and link without sending the map again. The
server's own requests (a link, a chapter, a found place; numbered, `sidebar.request_page`)
win over what the reader did before them. The controls are the one way a request reaches
the browser: drawn with its number, they make it the page state's newest, and the map's
frame follows (it holds no request itself, so a request does not send the map again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from kumamap.i18n import STATUS_NAMES, country_name, t
from kumamap.model import Lang, Layer, LoadResult, Status
from kumamap.pace import PACE
from kumamap.permalink import FILTER_PARAMS, TODAY, Choices, ParamKind, filters_of, read_filters
from kumamap.sidebar import (
    FILTERS,
    KNOWN_LAYERS,
    LAYER_REQUEST,
    RECONNECTED,
    REQUESTED_FILTERS,
    SESSION_TOKEN,
    VISIBLE,
    request_page,
)

# The one owner of the page state in the browser is components/layer_switch/page_state.js:
# the controls load it from their folder, the map frame with its bundle (bundle.py).
page_controls = components.declare_component(
    "layer_switch", path=str(Path(__file__).parent / "components" / "layer_switch"))
CONTROLS = "layer_switch"  # the component's key
# Years a second while ▶ plays (the issue asks for at least 2).
YEARS_PER_SECOND = 2.5
# While it plays, the server hears of a year at most this often: half the runs a second
# the server allows a reader (pace.PACE), the other half left for the reader's own actions;
# a run per year would be slowed by the pace, and say so above the map.
PLAY_REPORT_MS = round(1000 / (PACE.per_second / 2))


def recover_layers(layers: Sequence[Layer]) -> None:
    """A layer new to this session (the data was fixed or extended while it was open)
    starts as the catalog says, not switched off."""
    session = st.session_state
    new = {layer.id for layer in layers} - session.get(KNOWN_LAYERS, frozenset())
    if new:
        session[KNOWN_LAYERS] = session.get(KNOWN_LAYERS, frozenset()) | new
        shown = {layer.id for layer in layers if layer.id in new and layer.visible}
        if shown:
            request_page(frozenset(session.get(VISIBLE, ())) | shown)


def choice_labels(result: LoadResult, lang: Lang,
                  prefecture_names: dict[str, str]) -> dict[str, Callable[[Any], str]]:
    """How each filter of chosen codes names its codes in `lang`."""
    catalog = result.catalog
    return {
        "category": lambda code: catalog.category_title(code, lang),
        "status": lambda code: STATUS_NAMES[Status(code)].pick(lang),
        "prefecture": prefecture_names.__getitem__,
        "origin": lambda code: country_name(code, lang),
        "sector": lambda code: catalog.term("sectors", code, lang),
    }


def control_texts(choices: Choices, lang: Lang,
                  labels: dict[str, Callable[[Any], str]]) -> dict[str, Any]:
    """What the controls say, in `lang` (labels from the catalog, set as text)."""
    chosen = [{"name": param.name, "legend": t(param.name, lang),
               "options": [{"value": code, "label": labels[param.name](code)}
                           for code in choices[param.name]]}
              for param in FILTER_PARAMS if param.kind is ParamKind.MANY]
    years = [{"value": year, "label": t("all_years", lang) if year == TODAY else str(year)}
             for year in choices["year"]]
    return {
        "heading": t("filters", lang), "any": t("choose", lang),
        "chosen": [choice for choice in chosen if choice["options"]],
        "text": t("search", lang),
        "year": {"label": t("year", lang), "help": t("year_help", lang), "options": years,
                 "play": t("play", lang), "pause": t("pause", lang),
                 "step_ms": round(1000 / YEARS_PER_SECOND), "report_ms": PLAY_REPORT_MS},
    }


def adopt(reported: Any, layers: Sequence[Layer], choices: Choices) -> None:
    """Take what the controls reported as the server's page state, when it belongs to the
    server's latest request; on a reconnected page, as a request of its own."""
    session = st.session_state
    reconnected = session.pop(RECONNECTED, False)
    if not isinstance(reported, dict) or not isinstance(reported.get("visible"), list):
        return
    known = frozenset(reported["visible"]) & {layer.id for layer in layers}
    filters = read_filters(reported.get("filters"), choices)
    if reconnected and (known != session[VISIBLE] or filters not in (None, session[FILTERS])):
        # A reconnected page: its controls hold the reader's latest state, numbered by the
        # session that is gone, and were drawn above with the link's (one action behind).
        # Adopt it as a request, which the controls and the map follow.
        request_page(known, filters)
        st.rerun()
    # The reader's switching and filtering count only within the server's latest request.
    elif reported.get("request") == session[LAYER_REQUEST]:
        session[VISIBLE] = known
        if filters is not None:
            session[FILTERS] = filters


def control_widgets(result: LoadResult, choices: Choices, lang: Lang,
                    prefecture_names: dict[str, str]) -> None:
    """The layers, filters and year: drawn in the browser, adopted from its report."""
    bar = st.sidebar
    bar.subheader(t("layers", lang))
    recover_layers(result.layers)
    session = st.session_state
    with bar:
        reported = page_controls(
            layers=[{"id": layer.id, "label": layer.title.pick(lang), "color": layer.color}
                    for layer in result.layers],
            visible=sorted(session[VISIBLE]), filters=filters_of(session[REQUESTED_FILTERS]),
            request=session[LAYER_REQUEST], session=session[SESSION_TOKEN],
            legend=t("layers", lang), lang=lang,
            texts=control_texts(choices, lang, choice_labels(result, lang, prefecture_names)),
            key=CONTROLS, default=None)
    adopt(reported, result.layers, choices)
    bar.checkbox(t("rings", lang), key="rings", help=t("rings_help", lang))
