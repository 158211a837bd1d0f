"""The permalink: state <-> query parameters, what a link may carry, what is ignored and said."""

from pathlib import Path

import pytest

from kumamap.catalog import load_catalog
from kumamap.filters import FilterState
from kumamap.model import Status
from kumamap.permalink import (
    BY_NAME,
    FILTER_PARAMS,
    MAX_NOTICES,
    MAX_TEXT,
    PARAMS,
    VIEW_PARAMS,
    MapView,
    Notice,
    default_state,
    filter_state,
    filters_of,
    ignored_names,
    is_valid,
    link_params,
    open_link,
    read_filters,
    read_view,
)

MINI = Path(__file__).parent / "data" / "mini"
RESULT = load_catalog(MINI)
CHOICES = {
    "lang": ("zh-TW", "ja", "en"), "preset": ("kumamoto", "kyushu"), "year": (2021, 2022, 0),
    "layers": ("jasm", "rail", "stations"), "category": ("fab", "station"),
    "status": tuple(status.value for status in Status), "prefecture": ("43",),
    "origin": ("JP", "TW"), "sector": ("equipment",),
    "sel": tuple(f.id for layer in RESULT.layers for f in layer.features),
    "chapter": ("1", "2"),
}
DEFAULT = default_state(frozenset({"jasm", "stations"}))


def opened(**params):
    as_lists = {name: value if isinstance(value, list) else [value] for name, value in params.items()}
    return open_link(as_lists, CHOICES, DEFAULT)


def test_no_parameters_is_the_default_and_the_default_has_no_parameters():
    assert opened().state == DEFAULT and opened().notices == () and opened().view is None
    assert link_params(DEFAULT, DEFAULT) == {}


FULL_STATE = {
    "lang": "ja", "preset": "kyushu", "rings": True, "sel": "st-haramizu",
    "layers": frozenset({"rail"}), "category": frozenset({"station"}),
    "status": frozenset({"planned", "operating"}), "year": 2022,
    "prefecture": frozenset({"43"}), "origin": frozenset({"TW"}),
    "sector": frozenset({"equipment"}), "text": "原水", "chapter": "2",
}


def test_a_full_state_round_trips_through_its_parameters():
    assert set(FULL_STATE) == {param.name for param in PARAMS}  # every parameter is tried
    params = link_params(FULL_STATE, DEFAULT)
    assert set(params) == set(FULL_STATE)
    assert params["status"] == ["operating", "planned"]  # codes, not translated labels
    back = open_link(params, CHOICES, DEFAULT)
    assert back.state == FULL_STATE and back.notices == ()


def test_the_state_gives_the_filters():
    assert filter_state(FULL_STATE) == FilterState(
        layer_ids=frozenset({"rail"}), categories=frozenset({"station"}),
        statuses=frozenset({Status.PLANNED, Status.OPERATING}), year=2022,
        prefectures=frozenset({"43"}), origins=frozenset({"TW"}),
        sectors=frozenset({"equipment"}), text="原水")
    assert filter_state(DEFAULT).year is None  # TODAY is no year filter


def test_every_filter_field_has_one_parameter():
    fields = [param.filter_field for param in PARAMS if param.filter_field]
    assert sorted(fields) == sorted(FilterState.__dataclass_fields__)


def test_nothing_chosen_differs_from_the_default():
    no_layers = {**DEFAULT, "layers": frozenset()}
    params = link_params(no_layers, DEFAULT)
    assert params == {"layers": [""]}
    assert open_link(params, CHOICES, DEFAULT).state == no_layers


@pytest.mark.parametrize("param, value", [
    ("lang", "fr"), ("status", "demolished"), ("year", "1850"), ("year", "20x1"),
    ("sel", "no-such-feature"), ("lat", "91"), ("lon", "nan"), ("z", "2.5"), ("z", "40"),
    ("rings", "yes"), ("layers", "secret-layer"), ("text", "x" * 201),
    ("preset", "<script>"), ("category", "casino"), ("prefecture", "13"),
])
def test_each_tampered_value_is_ignored_and_named(param, value):
    link = opened(**{param: value})
    assert link.notices == (Notice(param, value, "invalid"),)
    assert link.state == DEFAULT  # the value was not taken: the default stays


def test_only_the_bad_one_of_several_values_is_dropped():
    link = opened(status=["planned", "bogus"])
    assert link.notices == (Notice("status", "bogus", "invalid"),)
    assert link.state["status"] == {"planned"}


def test_unknown_parameters_are_named_with_their_values():
    assert opened(utm_source=["a", "b"]).notices == (Notice("utm_source", "a, b", "unknown"),)


def test_a_long_value_or_name_is_shortened_when_shown():
    notice = Notice("z" * 100_000, "y" * 500, "unknown")
    assert len(notice.shown_value) == 61 and notice.shown_value.endswith("…")
    assert len(notice.shown_param) == 61


def test_many_bad_parameters_give_a_bounded_list_of_notices():
    link = opened(**{f"junk{i}": "x" for i in range(1_000)})
    assert len(link.notices) == MAX_NOTICES + 1
    assert link.notices[-1] == Notice("…", str(1_000 - MAX_NOTICES), "more")


def test_the_view_parameters_are_the_maps():
    assert [param.name for param in VIEW_PARAMS] == ["lat", "lon", "z"]
    assert is_valid(BY_NAME["z"], "19", {}) and not is_valid(BY_NAME["z"], "20", {})


def test_the_view_needs_all_three_valid():
    assert read_view({"lat": ["32.9"], "lon": ["130.8"], "z": ["12"]}) == MapView(32.9, 130.8, 12)
    assert read_view({"lat": ["32.9"], "lon": ["130.8"]}) is None
    assert read_view({"lat": ["32.9"], "lon": ["130.8"], "z": ["99"]}) is None
    assert read_view({"lat": ["inf"], "lon": ["130.8"], "z": ["9"]}) is None
    assert opened(lat="32.9", lon="130.8", z="12").view == MapView(32.9, 130.8, 12)


@pytest.mark.parametrize("params, dropped", [
    ({"utm_source": ["x"], "status": ["bogus"]}, {"utm_source"}),
    ({"lat": ["91"], "lon": ["130.8"], "z": ["12"]}, {"lat", "lon", "z"}),
    ({"lat": ["32.9"], "lon": ["130.8"], "z": ["12"]}, set()),
    ({"layers": ["nope"]}, set()),  # the page writes its own parameters again
])
def test_ignored_names_are_what_the_url_drops(params, dropped):
    assert ignored_names(params) == dropped


# What the sidebar's controls report (page_controls.js), as the browser sends it.
REPORTED = {"category": ["station"], "status": ["planned"], "year": 2022, "prefecture": [],
            "origin": ["TW"], "sector": [], "text": "原水"}


def test_the_controls_report_is_read_into_the_page_states_types():
    assert read_filters(REPORTED, CHOICES) == {
        "category": frozenset({"station"}), "status": frozenset({"planned"}), "year": 2022,
        "prefecture": frozenset(), "origin": frozenset({"TW"}), "sector": frozenset(),
        "text": "原水"}


def test_the_controls_get_every_filter_and_nothing_else():
    state = {**DEFAULT, **read_filters(REPORTED, CHOICES)}
    assert filters_of(state) == REPORTED
    assert {param.name for param in FILTER_PARAMS} == set(REPORTED)
    assert "layers" not in REPORTED


@pytest.mark.parametrize("change", [
    {"year": "2022"}, {"year": 1999}, {"year": True}, {"year": 2022.0},
    {"category": "station"}, {"category": [1]}, {"category": None}, {"text": ["x"]},
    {"text": None},
], ids=str)
def test_a_report_of_a_wrong_type_or_year_is_not_taken(change):
    assert read_filters({**REPORTED, **change}, CHOICES) is None


@pytest.mark.parametrize("reported", [None, [], "filters", 3])
def test_a_report_that_is_no_mapping_is_not_taken(reported):
    assert read_filters(reported, CHOICES) is None


def test_unknown_codes_are_dropped_and_long_text_is_cut():
    filters = read_filters({**REPORTED, "category": ["station", "<b>x</b>"],
                            "text": "x" * (MAX_TEXT + 50)}, CHOICES)
    assert filters is not None
    assert filters["category"] == frozenset({"station"})
    assert filters["text"] == "x" * MAX_TEXT


def test_a_filter_left_out_of_a_report_is_its_default():
    assert read_filters({}, CHOICES) == {param.name: param.default for param in FILTER_PARAMS}
