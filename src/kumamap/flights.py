"""Flights: the server moves the map (a chapter, a found place, "show on map", a table row,
a timeline bar) without sending it.

A flight used to be a feature group of the map: asking for it, and taking it away on the
next run, each sent every feature group again (benchmarks/README.md, issue 22). Now a
small component without a frame (components/map_flight) hands the newest flight, numbered
per session, to the map's frame through the page state (page_state.js), which flies each
number once: not again on a later run, a reload or a reconnected page.

Streamlit lives here as in `ui`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from kumamap.assets import PAGE_STATE
from kumamap.model import Layer, find_feature
from kumamap.search import bounds
from kumamap.sidebar import FLIGHT, SESSION_TOKEN
from kumamap.views import fit_bounds

Box = tuple[float, float, float, float]  # (south, west, north, east)
HANDLER = "map_flight"  # the component's key
FLIGHT_SCRIPT = Path(__file__).parent / "components" / "map_flight" / "map_flight.js"

# The page state's script comes first in the component's module: the component speaks to
# the map's frame through it alone.
map_flight = st.components.v2.component(
    "kumamap.map_flight",
    js="\n".join(path.read_text(encoding="utf-8") for path in (PAGE_STATE, FLIGHT_SCRIPT)))


def flight_box(layers: tuple[Layer, ...], target: str | Box) -> Box | None:
    """Where a flight goes: a box as it is, a feature (by id) to its bounds; None for a
    feature that is not there (any more)."""
    if not isinstance(target, str):
        return target
    found = find_feature(layers, target)
    return bounds(found[1].geometry) if found else None


def flight_data(session: str, number: int, box: Box) -> dict[str, Any]:
    """A flight as the page state keeps it (page_state.js `askFlight`)."""
    return {"session": session, "number": number, "bounds": fit_bounds(box)}


def hand_flight(layers: tuple[Layer, ...]) -> None:
    """Hand the map's frame the session's newest flight, if any. On every run that draws
    the map, after it: a map frame that this run replaces is gone by then, so the new one
    takes the flight."""
    session = st.session_state
    flight = session.get(FLIGHT)
    box = None if flight is None else flight_box(layers, flight[0])
    data = None if box is None else flight_data(session[SESSION_TOKEN], flight[1], box)
    map_flight(key=HANDLER, data=data, height=0)
