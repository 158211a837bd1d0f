"""The panel beside the map (a "sidecar"): the story's chapter being read and the selected
feature's details. It is drawn only when there is something to read; with nothing, the
page's style gives the map its room (js/page.css), and closing it clears both.

Streamlit lives here as in `ui`, `panels` and `tabs`.
"""

from __future__ import annotations

import streamlit as st

from kumamap.filters import View
from kumamap.i18n import t
from kumamap.model import Lang, Layer, LoadResult
from kumamap.panels import SIDECAR, selected_item, show_details, show_selection
from kumamap.sidebar import SELECTED
from kumamap.tabs import CHAPTER, reading, show_reading

PANEL = "panel"  # its container's key: page.css opens the map's room when it is absent


def close() -> None:
    """Deselect and leave the story: the map takes the panel's room. A widget callback in
    the panel: the story's tab below the map follows the end of a chapter (the whole
    page reruns), a table the end of a selection; the map is not run again."""
    st.session_state[SELECTED] = None
    if st.session_state.get(CHAPTER) is not None:
        st.session_state[CHAPTER] = None
        st.rerun()
    show_selection(SIDECAR)


def show_clicked(feature_id: str) -> None:
    """Select a feature clicked on the map (a callback, see `mapclick.hear_clicks`): the
    panel shows it, and the table marks it; the map, where it was clicked, stays."""
    st.session_state[SELECTED] = feature_id
    show_selection(SIDECAR)


def show_panel(result: LoadResult, layers: tuple[Layer, ...], view: View, lang: Lang) -> None:
    number, item = reading(result), selected_item(layers, view)
    if number is None and item is None:
        return
    with st.container(key=PANEL):
        with st.container(key="panel_head", horizontal=True, vertical_alignment="center"):
            st.header(t("details", lang) if number is None else t("tab_story", lang),
                      anchor=False, width="content")
            st.button(t("close_panel", lang), key="close_panel", icon=":material/close:",
                      help=t("close_panel_help", lang), on_click=close, type="tertiary")
        if number is not None:
            show_reading(result, number, lang)
        if item is not None:
            show_details(result, item, lang)
