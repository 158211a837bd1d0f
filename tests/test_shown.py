"""The header's count (shown.py, components/shown_count): what the server gives it, and
which count it shows (js/lib/shown.js `current`, run by node): the map's while the map is
ahead of the server's run, else the server's."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kumamap.bundle import SHOWN_SCRIPT
from kumamap.catalog import load_catalog
from kumamap.charts import AS_OF_INPUT, as_of_position
from kumamap.filters import FilterState, apply_filters
from kumamap.permalink import TODAY
from kumamap.shown import COUNT, count_data
from tests.builders import MINI, set_filters
from tests.node import in_node, needs_node
from tests.test_app import run_app, shown_count, switch_layer

NO_FILTER = {"category": [], "status": [], "year": TODAY, "prefecture": [], "origin": [],
             "sector": [], "text": ""}
MINI_DATA = load_catalog(MINI)
SERVER = {"session": "s1", "request": 2, "count": 10,
          "state": {"layers": ["jasm", "rail"], "filters": {**NO_FILTER, "year": 2022}}}


def published(**changes: Any) -> dict[str, Any]:
    """A publication of the map that differs from SERVER by `changes`."""
    return {**SERVER, "count": 7, **changes}


def current_in_javascript(cases: list[tuple[dict, dict | None]]) -> list[dict]:
    return in_node(SHOWN_SCRIPT,
                   "(shown, cases) => cases.map(([server, map]) => shown.current(server, map))",
                   cases)


PLAYED_ON = {**SERVER["state"], "filters": {**NO_FILTER, "year": 2024}}
CASES = [
    ("nothing published yet", None, 10, 2022),
    ("the map played on", published(state=PLAYED_ON), 7, 2024),
    ("the map switched a layer", published(state={**SERVER["state"], "layers": ["jasm"]}),
     7, 2022),
    # A reader's upload: the server counts it at once, the map once its groups arrive.
    ("the same state, the keys and codes in another order",
     published(state={"filters": dict(reversed(SERVER["state"]["filters"].items())),
                      "layers": ["rail", "jasm"]}), 10, 2022),
    ("an older request's map (a chapter was entered since)",
     published(request=1, state=PLAYED_ON), 10, 2022),
    ("a newer request's map", published(request=3), 7, 2022),
    ("another session's page state", published(session="s0", state=PLAYED_ON), 10, 2022),
]


@needs_node
def test_the_header_shows_the_maps_count_only_while_the_map_is_ahead():
    found = current_in_javascript([(SERVER, case[1]) for case in CASES])
    wrong = [(why, got) for (why, _, count, year), got in zip(CASES, found)
             if got != {"count": count, "year": year}]
    assert not wrong, wrong


def test_the_component_gets_the_servers_state_as_the_page_state_holds_it():
    state = {"layers": frozenset({"rail", "jasm"}), "category": frozenset({"station", "fab"}),
             "status": frozenset(), "year": 2022, "prefecture": frozenset(),
             "origin": frozenset(), "sector": frozenset(), "text": "Hikari"}
    data = count_data(5, state, [2021, 2022, TODAY], "en", "s1", 3)
    assert data["server"] == {"session": "s1", "request": 3, "count": 5, "state": {
        "layers": ["jasm", "rail"],
        "filters": {"category": ["fab", "station"], "status": [], "year": 2022,
                    "prefecture": [], "origin": [], "sector": [], "text": "Hikari"}}}
    assert data["label"] == "features shown" and data["input"] == AS_OF_INPUT
    today = date.today()
    assert data["positions"] == {2021: 2022.0, 2022: 2023.0,
                                 TODAY: as_of_position(None, today)}


def count_component(at: AppTest) -> dict[str, Any]:
    """The header's count component's data, as the server sent it."""
    found = [element.proto for element in at.get("bidi_component")
             if element.proto.id.endswith(f"-{COUNT}")]
    assert len(found) == 1, found
    return json.loads(found[0].json)


@pytest.fixture
def app(monkeypatch):
    return run_app(monkeypatch, MINI)


def test_the_components_count_is_the_servers_count_of_the_state_it_is_given(app):
    def expect_count(at: AppTest, layers: set[str], year: int) -> None:
        data = count_component(at)["server"]
        assert set(data["state"]["layers"]) == layers and data["state"]["filters"]["year"] == year
        state = FilterState(frozenset(layers), year=year or None)
        assert data["count"] == shown_count(at) == apply_filters(MINI_DATA.layers,
                                                                 state).feature_count

    expect_count(app, {"jasm", "stations"}, TODAY)
    set_filters(app, year=2022)
    expect_count(app, {"jasm", "stations"}, 2022)
    expect_count(switch_layer(app, "stations", False), {"jasm"}, 2022)
