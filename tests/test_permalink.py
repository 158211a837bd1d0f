"""The permalink: state <-> query parameters, what a link may carry, what is ignored and said."""

from dataclasses import replace
from pathlib import Path

import pytest

from kumamap.catalog import load_catalog
from kumamap.filters import FilterState
from kumamap.model import Status
from kumamap.permalink import (
    Choices,
    LinkState,
    MapView,
    Notice,
    default_state,
    link_params,
    open_link,
    read_view,
)

MINI = Path(__file__).parent / "data" / "mini"
RESULT = load_catalog(MINI)
CHOICES = Choices(langs=("zh-TW", "ja", "en"), presets=("kumamoto", "kyushu"),
                  years=(2021, 2022, 0), categories=("fab", "station"), prefectures=("43",))
DEFAULT = default_state(RESULT, "en", "kumamoto")


def opened(**params):
    as_lists = {name: value if isinstance(value, list) else [value] for name, value in params.items()}
    return open_link(as_lists, RESULT, CHOICES, DEFAULT)


def test_no_parameters_is_the_default_and_the_default_has_no_parameters():
    assert opened().state == DEFAULT and opened().notices == () and opened().view is None
    assert link_params(DEFAULT, DEFAULT) == {}


def test_a_full_state_round_trips_through_its_parameters():
    state = LinkState(
        lang="ja", preset="kyushu", rings=True, selected="st-haramizu",
        filters=FilterState(layer_ids=frozenset({"rail"}), categories=frozenset({"station"}),
                            statuses=frozenset({Status.PLANNED, Status.OPERATING}), year=2022,
                            prefectures=frozenset({"43"}), text="原水"),
    )
    params = link_params(state, DEFAULT)
    assert params["status"] == ["operating", "planned"]  # codes, not translated labels
    back = open_link(params, RESULT, CHOICES, DEFAULT)
    assert back.state == state and back.notices == ()


def test_nothing_chosen_differs_from_the_default():
    no_layers = replace(DEFAULT, filters=replace(DEFAULT.filters, layer_ids=frozenset()))
    params = link_params(no_layers, DEFAULT)
    assert params == {"layers": [""]}
    assert open_link(params, RESULT, CHOICES, DEFAULT).state == no_layers


@pytest.mark.parametrize("param, value", [
    ("lang", "fr"), ("status", "demolished"), ("year", "1850"), ("year", "20x1"),
    ("sel", "no-such-feature"), ("lat", "91"), ("lon", "nan"), ("z", "2.5"), ("z", "40"),
    ("rings", "yes"), ("layers", "secret-layer"), ("text", "x" * 201),
    ("preset", "<script>"), ("category", "casino"), ("prefecture", "13"),
])
def test_each_tampered_value_is_ignored_and_named(param, value):
    link = opened(**{param: value})
    assert link.notices == (Notice(param, value, "invalid"),)
    if param not in ("layers", "category", "prefecture", "status"):
        assert link.state == DEFAULT  # the value was not taken


def test_only_the_bad_one_of_several_values_is_dropped():
    link = opened(status=["planned", "bogus"])
    assert link.notices == (Notice("status", "bogus", "invalid"),)
    assert link.state.filters.statuses == {Status.PLANNED}


def test_unknown_parameters_are_named_with_their_values():
    assert opened(utm_source=["a", "b"]).notices == (Notice("utm_source", "a, b", "unknown"),)


def test_a_long_value_is_shortened_when_shown():
    notice = Notice("text", "y" * 500, "invalid")
    assert len(notice.shown_value) == 61 and notice.shown_value.endswith("…")


def test_the_view_needs_all_three_valid():
    assert read_view({"lat": ["32.9"], "lon": ["130.8"], "z": ["12"]}) == MapView(32.9, 130.8, 12)
    assert read_view({"lat": ["32.9"], "lon": ["130.8"]}) is None
    assert read_view({"lat": ["32.9"], "lon": ["130.8"], "z": ["99"]}) is None
    assert read_view({"lat": ["inf"], "lon": ["130.8"], "z": ["9"]}) is None
    assert opened(lat="32.9", lon="130.8", z="12").view == MapView(32.9, 130.8, 12)
