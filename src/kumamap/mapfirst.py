"""The map first: a session's first script run draws the map and what is above it; the
sidebar's widgets and the part of the page below the map (cluster summary, downloads,
timeline, tabs) follow in the next run, which the page asks for once the map has drawn.
The first run's page state is the link's (`ui.read_link` puts it in the session before any
widget): nothing can have been reported from the browser yet, and nothing uploaded.

Why: the browser draws every element of a run, and fetches each widget's code, before it
gets to the map's frame (benchmarks/README.md, "Where the first map's time goes"). The map
cannot say so itself: streamlit-folium reports its value on the first draw only when it
differs from the default the server gave it, which it does not. So a small component
without a frame (components/map_drawn) watches the map's frame from the page and reports.

Streamlit lives here as in `ui`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from kumamap.filters import View
from kumamap.model import LoadResult
from kumamap.panels import show_cluster_summary, show_downloads, show_timeline
from kumamap.sidebar import widgets_from_browser
from kumamap.tabs import show_tabs

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
RAN = "page_ran"  # set by a session's first run
WATCHER = "map_drawn"
# A map that has not drawn by then (a frame that fails to load) does not keep the rest of
# the page away; a slower map only gets the page below it drawn beside it, as before.
GIVE_UP_MS = 10_000
POLL_MS = 50

map_drawn = st.components.v2.component(
    "kumamap.map_drawn",
    js=(Path(__file__).parent / "components" / "map_drawn" / "map_drawn.js").read_text(
        encoding="utf-8"))


def is_first_run() -> bool:
    """Whether this is the session's first run; true once per session. A page that comes
    back to a new server process (it sends its widgets' values) is already drawn in full,
    so its first run here draws it all again. Call before any widget is drawn."""
    first = RAN not in st.session_state and not widgets_from_browser()
    st.session_state[RAN] = True
    return first


def keep_sidebar_room() -> None:
    """The sidebar's place while its widgets are on their way: it opens as it will stay,
    so the map is not narrowed under the reader when they come."""
    st.sidebar.empty()


def ask_for_the_rest() -> None:
    """Rerun the page once its map has drawn (or gave up): every later run draws it all.
    The report is a trigger (`drawn`), which the component sends only with a callback."""
    map_drawn(key=WATCHER, data={"frame": MAP_FRAME, "giveUpMs": GIVE_UP_MS, "pollMs": POLL_MS},
              on_drawn_change=lambda: None, height=0)


def show_below_map(result: LoadResult, view: View, year: int | None,
                   state: dict[str, Any]) -> None:
    """Below the map (from a session's second run on): the map stays the first thing a
    reader sees, and is drawn first."""
    lang = state["lang"]
    show_cluster_summary(view, result.catalog, lang)
    show_downloads(view, result.catalog, lang, state["preset"])
    show_timeline(result, year, lang)
    show_tabs(result, view, state)
