"""A click on a feature of the map, heard by the panel beside it.

Why: streamlit-folium reports a click only after its own 250 ms wait, and its report reruns
the part of the page that holds the map, where `st_folium` renders the whole map message
again (0.2-0.3 s of server time at 10,000 features). The map's frame announces each click
on the page's document instead (js/page_sync.js, `mapview.CLICK_EVENT`), and a small
component without a frame (components/map_click), drawn in the panel's own part of the
page, passes it on at once: only the panel and the link are run again, the map stays.

What a browser reports is untrusted: only the id of a known feature selects, and an id
longer than any may be is refused before it is looked up.

Streamlit lives here as in `ui`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from kumamap.held import held_layer
from kumamap.mapview import CLICK_EVENT, SELECTED_EVENT
from kumamap.model import Layer, LoadResult, find_feature

HEARER = "map_click"  # the component's key
MAX_ID_LENGTH = 200  # no feature id is longer (ids are short slugs, schema.ID_PATTERN)

map_click = st.components.v2.component(
    "kumamap.map_click",
    js=(Path(__file__).parent / "components" / "map_click" / "map_click.js").read_text(
        encoding="utf-8"))


def clicked_feature(reported: object, layers: tuple[Layer, ...]) -> str | None:
    """The id of the clicked feature, if what the browser reported is one of `layers`'."""
    if not isinstance(reported, str) or not 0 < len(reported) <= MAX_ID_LENGTH:
        return None
    return reported if find_feature(layers, reported) is not None else None


def hear_clicks(result: LoadResult, on_click: Callable[[str], None],
                selected: str | None) -> None:
    """Call `on_click` with the id of each feature clicked on the map, of the catalog's
    layers or the reader's upload (as a widget callback, before the run it starts), and
    tell the map the feature now `selected` (or none), so that its own summary names what
    the panel shows. Draws nothing; call it in the part of the page that a click should
    rerun, and that every change of the selection runs (a find, a row, "close")."""

    def heard() -> None:
        # The callback stays with the session's widgets after the reader has left, until
        # Streamlit lets go of the session: it keeps the loaded catalog, which every
        # session shares, and looks up the reader's upload only when called, never
        # keeping it (a kept upload held 50 MB after its reader left, test_housekeeping).
        upload = held_layer()
        layers = result.layers + ((upload,) if upload is not None else ())
        feature_id = clicked_feature(st.session_state[HEARER].get("clicked"), layers)
        if feature_id is not None:
            on_click(feature_id)

    map_click(key=HEARER, data={"event": CLICK_EVENT, "selected_event": SELECTED_EVENT,
                                "selected": selected},
              on_clicked_change=heard, height=0)
