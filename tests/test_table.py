"""The feature table: one row per shown feature, translated, with links only when safe."""

from dataclasses import replace

import pytest

from kumamap.catalog import load_catalog
from kumamap.filters import FilterState, apply_filters
from kumamap.model import Source
from kumamap.table import (
    COLUMNS,
    HIDDEN_COLUMNS,
    SELECTED_MARK,
    first_link,
    origin_distances,
    table_columns,
    table_rows,
)
from tests.builders import HOSTILE, MINI

RESULT = load_catalog(MINI)
EVERY_LAYER = frozenset(layer.id for layer in RESULT.layers)
FAB1 = RESULT.feature("jasm-fab1")[1]


def view_of(**filters):
    return apply_filters(RESULT.layers, FilterState(layer_ids=filters.pop("layers", EVERY_LAYER),
                                                    **filters))


def rows_of(lang="en", selected=None, distances=None, **filters):
    return table_rows(view_of(**filters), RESULT.catalog, lang, distances or {}, selected)


def test_one_row_per_shown_feature_in_map_order():
    rows = rows_of()
    assert [row.feature_id for row in rows] == [
        "jasm-fab1", "jasm-fab2", "rail-hohi", "st-haramizu", "st-new-kikuyo"]
    assert [row.layer_id for row in rows] == ["jasm", "jasm", "rail", "stations", "stations"]


def test_rows_follow_the_filters():
    assert [row.feature_id for row in rows_of(layers=frozenset({"stations"}))] == [
        "st-haramizu", "st-new-kikuyo"]
    assert rows_of(text="no such place") == ()


def test_a_row_holds_the_feature_in_the_chosen_language():
    fab1 = rows_of("ja")[0]
    assert fab1.name == FAB1.name.ja
    assert fab1.category == "半導体工場"
    assert fab1.status == "稼働・供用中"
    assert fab1.precision == "おおよそ"
    assert (fab1.announced, fab1.started, fab1.opened) == ("2021-11-09", "2022-04-21", "2024-02-24")
    assert fab1.area_ha == 21.3
    assert fab1.checked == "2024-03-01"
    assert rows_of("zh-TW")[0].category == "半導體晶圓廠"


def test_status_is_the_one_of_the_as_of_year():
    assert rows_of(year=2022)[0].status == "under construction"


def test_distance_in_tenths_of_a_kilometre():
    rows = rows_of(distances={"jasm-fab2": 1234.0, "st-haramizu": 86.0})
    by_id = {row.feature_id: row.distance_km for row in rows}
    assert by_id["jasm-fab2"] == 1.2
    assert by_id["st-haramizu"] == 0.1
    assert by_id["rail-hohi"] is None


def test_the_selected_feature_is_marked():
    marks = {row.feature_id: row.selected for row in rows_of(selected="st-haramizu")}
    assert marks == {"jasm-fab1": "", "jasm-fab2": "", "rail-hohi": "",
                     "st-haramizu": SELECTED_MARK, "st-new-kikuyo": ""}


def test_the_source_column_is_the_first_web_link():
    assert rows_of()[0].source == "https://www.taiwannews.com.tw/news/4341008"
    assert first_link(("javascript:alert(1)", "ftp://x/y", "https://example.org/a b")) == (
        "https://example.org/a%20b")
    assert first_link(("javascript:alert(1)",)) is None


def test_hostile_text_is_passed_as_plain_text_and_no_script_link(monkeypatch):
    # Grid cells are drawn as text, never Markdown or HTML: the value stays as written.
    hostile = replace(FAB1, sources=(Source("javascript:alert(1)", HOSTILE, HOSTILE, "2024"),),
                      name=replace(FAB1.name, en=HOSTILE))
    layer = replace(RESULT.layers[0], features=(hostile,))
    view = apply_filters((layer,), FilterState(layer_ids=frozenset({layer.id})))
    (row,) = table_rows(view, RESULT.catalog, "en", {}, None)
    assert row.name == HOSTILE
    assert row.source is None


def test_columns_leave_the_ids_out():
    columns = table_columns(rows_of())
    assert list(columns) == [c for c in COLUMNS if c not in HIDDEN_COLUMNS]
    assert "feature_id" not in columns and "name" in columns
    assert columns["name"][3] == "Haramizu Station"
    assert all(len(values) == 5 for values in columns.values())


def test_origin_distances_measure_from_the_origin():
    features = [f for layer in RESULT.layers for f in layer.features]
    metres = origin_distances(FAB1, features)
    assert metres["jasm-fab1"] == 0.0
    assert 100 < metres["jasm-fab2"] < 2_000
    assert 1_000 < metres["st-haramizu"] < 10_000
    assert origin_distances(None, features) == {}


@pytest.mark.parametrize("lang", ["en", "ja", "zh-TW"])
def test_every_language_names_every_row(lang):
    assert all(row.name and row.layer and row.status for row in rows_of(lang))
