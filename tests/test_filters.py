import pytest

from kumamap.catalog import load_catalog
from kumamap.filters import (
    FilterState,
    apply_filters,
    events_until,
    matches_text,
    status_as_of,
)
from kumamap.model import Status
from kumamap.textmatch import fold
from tests.builders import MINI

RESULT = load_catalog(MINI)
ALL_LAYERS = frozenset(layer.id for layer in RESULT.layers)
FAB1 = RESULT.feature("jasm-fab1")[1]
FAB2 = RESULT.feature("jasm-fab2")[1]


def shown_ids(**state):
    view = apply_filters(RESULT.layers, FilterState(layer_ids=state.pop("layers", ALL_LAYERS), **state))
    return sorted(view.ids())


@pytest.mark.parametrize(
    ("year", "status"),
    [(2020, None), (2021, Status.PLANNED), (2022, Status.UNDER_CONSTRUCTION),
     (2024, Status.OPERATING), (None, Status.OPERATING)],
)
def test_fab1_status_as_of_year(year, status):
    assert status_as_of(FAB1, year) == status


def test_prospective_status_stays_until_known():
    assert status_as_of(FAB2, 2023) is None
    assert status_as_of(FAB2, 2024) is Status.UNDER_CONSTRUCTION


def test_no_filter_shows_everything():
    assert shown_ids() == ["jasm-fab1", "jasm-fab2", "rail-hohi", "st-haramizu", "st-new-kikuyo"]


def test_layer_toggle():
    assert shown_ids(layers=frozenset({"stations"})) == ["st-haramizu", "st-new-kikuyo"]


def test_category_filter():
    assert shown_ids(categories=frozenset({"fab"})) == ["jasm-fab1", "jasm-fab2"]


def test_status_filter_uses_status_as_of_year():
    assert shown_ids(statuses=frozenset({Status.PLANNED})) == ["st-new-kikuyo"]
    assert shown_ids(statuses=frozenset({Status.UNDER_CONSTRUCTION}), year=2022) == ["jasm-fab1"]


def test_year_filter_hides_what_was_not_yet_known():
    assert shown_ids(year=2022) == ["jasm-fab1", "rail-hohi", "st-haramizu"]


def test_prefecture_filter():
    assert shown_ids(prefectures=frozenset({"40"})) == []
    assert len(shown_ids(prefectures=frozenset({"43"}))) == 5


@pytest.mark.parametrize("query", ["fab 1", "第1工場", "一廠", "JASM-FAB1", "  "])
def test_text_matches_any_language(query):
    assert matches_text(FAB1, query)


def test_text_filter():
    assert shown_ids(text="原水") == ["st-haramizu"]


@pytest.mark.parametrize(("a", "b"), [("Ōzu", "ozu"), ("ハラミズ", "はらみず"), ("ＪＡＳＭ", "jasm")])
def test_fold_ignores_accents_kana_and_width(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_kana_voicing():
    assert fold("バ") != fold("ハ") and fold("パーク") == fold("ぱーく")


def test_events_until_year():
    assert [e.id for e in events_until(RESULT.events, 2021)] == ["jasm-announced"]
    assert len(events_until(RESULT.events, None)) == 2


def test_view_finds_only_what_it_shows():
    view = apply_filters(RESULT.layers, FilterState(layer_ids=ALL_LAYERS, year=2022))
    shown, layer = view.find("jasm-fab1")
    assert layer.id == "jasm" and shown.status is Status.UNDER_CONSTRUCTION
    assert view.find("jasm-fab2") is None  # announced only in 2024
    assert RESULT.feature("jasm-fab2")[0].id == "jasm"  # still in the data
