"""The header's count of shown features, in step with the map in the browser (issue 22).

The server counts what its filters show (`filters.apply_filters`), but hears the reader's
filters only after the browser applied them, and while ▶ plays at most once a second
(controls.PLAY_REPORT_MS). The map frame counts what it shows after every change
(js/lib/shown.js); a small component without a frame (components/shown_count) shows that
count at once, and the server's own while the map is not ahead of the server's run. It also
holds the input the timeline's "as of year" rule follows (charts.AS_OF_INPUT), so the map,
the count and the rule move together.

The server's count stays in the page as Markdown too: it is what a page without the
component's script shows, and what reads the server's words (AppTest, the benchmarks);
the page's stylesheet (js/page.css) hides it once the component shows the count.

Streamlit lives here as in `ui`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from kumamap.bundle import SHOWN_SCRIPT
from kumamap.charts import AS_OF_INPUT, as_of_positions
from kumamap.i18n import t
from kumamap.model import Lang
from kumamap.permalink import filters_of
from kumamap.sidebar import LAYER_REQUEST, SESSION_TOKEN

COUNT = "shown_count"  # the component's key
# A new count is said to screen readers once it has not changed for this long: while ▶
# plays (a year every 400 ms) or the reader types, nothing is said until it stops.
SETTLE_MS = 1_000
COMPONENT_DIR = Path(__file__).parent / "components" / "shown_count"

shown_count = st.components.v2.component(
    "kumamap.shown_count",
    html=(COMPONENT_DIR / "shown_count.html").read_text(encoding="utf-8").replace(
        "{as_of_input}", AS_OF_INPUT),
    # The publication's reader (js/lib/shown.js) first: the component's script uses it.
    js=SHOWN_SCRIPT.read_text(encoding="utf-8") + "\n"
    + (COMPONENT_DIR / "shown_count.js").read_text(encoding="utf-8"),
    # In the page's own document, not a shadow root: the chart finds the input by its id.
    # Styled by js/page.css: a style in the element would hide it (page.css hides the
    # elements that only hold a style).
    isolate_styles=False)


def count_data(count: int, state: dict[str, Any], years: list[int], lang: Lang,
               session: str, request: int) -> dict[str, Any]:
    """What the component starts from: the server's count of the page state `state` (as
    the browser's page state holds it: sorted layers, the filters as link parameters) in
    request `request` of session `session`, and the rule's position of every year."""
    return {
        "server": {"session": session, "request": request, "count": count,
                   "state": {"layers": sorted(state["layers"]), "filters": filters_of(state)}},
        "label": t("shown", lang), "input": AS_OF_INPUT, "settleMs": SETTLE_MS,
        "positions": as_of_positions(years, date.today()),
    }


def show_count(count: int, state: dict[str, Any], years: list[int], lang: Lang) -> None:
    """The count above the map: the server's (`count` of `state`), then the map's."""
    session = st.session_state
    shown_count(key=COUNT, data=count_data(count, state, years, lang, session[SESSION_TOKEN],
                                           session[LAYER_REQUEST]), width="content")
