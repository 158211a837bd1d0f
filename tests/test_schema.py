"""One schema: validation, exports, upload completion and the README read the same rows.

Each test fails if a second copy of a field list crept back somewhere.
"""

import dataclasses
import math
from pathlib import Path

import pytest

from kumamap.catalog import read_fields
from kumamap.export import CSV_COLUMNS, csv_columns, feature_properties, to_csv
from kumamap.filters import Shown
from kumamap.model import Feature, Layer
from kumamap.schema import (
    CATALOG_FIELDS,
    FEATURE_FIELDS,
    LAYER_FIELDS,
    CsvForm,
    FieldKind,
    markdown_table,
)
from kumamap.validate import KNOWN_KEYS, Invalid, read_feature, read_field
from tests.builders import raw_feature
from tests.test_validate import LAYER

README = Path(__file__).parent.parent / "geo" / "README.md"
# Every JSON/TOML type a field may wrongly get, and a deep nest.
WRONG_VALUES = (True, False, 0, -1, 1.5, math.nan, math.inf, "", "x", "3", "true", [], ["x"],
                {}, {"a": 1}, [[[[[[1]]]]]])
# Attributes of Feature that are not properties of the data.
NOT_PROPERTIES = {"layer_id", "geometry", "extra"}


def test_the_feature_model_has_one_attribute_per_schema_field():
    attributes = {f.name for f in dataclasses.fields(Feature)} - NOT_PROPERTIES
    assert attributes == {field.name for field in FEATURE_FIELDS}


def test_the_layer_model_has_one_attribute_per_catalog_field():
    attributes = {f.name for f in dataclasses.fields(Layer)} - {"features"}
    assert attributes == {field.name for field in LAYER_FIELDS}


def test_the_validator_knows_exactly_the_schema_keys():
    assert KNOWN_KEYS == {key for field in FEATURE_FIELDS for key in field.keys}


def test_the_csv_has_the_columns_of_every_exported_field():
    for field in FEATURE_FIELDS:
        columns = csv_columns(field)
        assert (not columns) == (field.csv is CsvForm.NONE), field.name
        assert set(columns) <= set(CSV_COLUMNS), field.name
    assert len(CSV_COLUMNS) == len(set(CSV_COLUMNS))


def test_the_geojson_export_writes_every_schema_key_and_reads_back():
    feature = read_feature(raw_feature(aliases=["Test", "テスト"], origin="TW",
                                       sector="equipment", site_type="office"),
                           LAYER, {"sectors": {"equipment"}, "site_types": {"office"}})
    properties = feature_properties(Shown(feature, feature.status), LAYER, "en")
    assert KNOWN_KEYS <= set(properties)
    assert properties["aliases"] == ["Test", "テスト"] and properties["origin"] == "TW"
    again = read_feature({"type": "Feature", "geometry": feature.geometry,
                          "properties": properties}, LAYER,
                         {"sectors": {"equipment"}, "site_types": {"office"}})
    assert dataclasses.replace(again, extra=()) == feature


def test_the_readme_schema_table_is_the_schema():
    assert markdown_table() in README.read_text(encoding="utf-8")


def test_new_fields_reach_the_csv():
    from kumamap.filters import LayerView, View

    feature = read_feature(raw_feature(origin="TW", aliases=["A", "B"]), LAYER)
    text = to_csv(View((LayerView(LAYER, (Shown(feature, feature.status),)),)), "en")
    header, row = text.lstrip("\ufeff").splitlines()[:2]
    assert "origin" in header.split(",") and "aliases" in header.split(",")
    assert "TW" in row and "A | B" in row


@pytest.mark.parametrize("field", FEATURE_FIELDS, ids=lambda f: f.name)
@pytest.mark.parametrize("value", WRONG_VALUES, ids=repr)
def test_every_feature_field_refuses_or_takes_every_wrong_type_with_a_located_problem(field, value):
    """Never an exception other than Invalid; a refusal names the field."""
    properties = {key: value for key in field.keys}
    try:
        read_field(properties, field, {"sectors": {"x"}, "site_types": {"x"}})
    except Invalid as err:
        assert any(key in str(err) for key in field.keys), str(err)


@pytest.mark.parametrize("field", LAYER_FIELDS + CATALOG_FIELDS, ids=lambda f: f.name)
@pytest.mark.parametrize("value", WRONG_VALUES, ids=repr)
def test_every_catalog_field_refuses_or_takes_every_wrong_type(field, value):
    try:
        values = read_fields({field.name: value}, (field,), "layer #0")
    except Invalid as err:
        assert field.name in str(err) and err.code == "bad-catalog"
    else:
        # Taken only when it is of the field's own type.
        taken = values[field.name]
        if field.kind is FieldKind.BOOLEAN:
            assert isinstance(taken, bool)
        if field.kind is FieldKind.INTEGER:
            assert type(taken) is int


@pytest.mark.parametrize("text", ["false", "0", "no"])
def test_visible_as_a_string_is_a_problem_not_true(text):
    with pytest.raises(Invalid, match="visible must be true or false"):
        read_fields({"visible": text}, LAYER_FIELDS[5:6], "layer #0")


def test_an_upload_gets_every_required_field_from_the_schema():
    from kumamap.schema import upload_defaults

    defaults = upload_defaults("My site")
    required = {key for field in FEATURE_FIELDS if field.required for key in field.keys}
    # The upload adds its own id; sources and a checked date it may lack (it is the reader's).
    provenance = {field.name for field in FEATURE_FIELDS if field.is_provenance}
    assert required - {"id"} - provenance <= set(defaults)
    assert defaults["name_ja"] == "My site" and defaults["category"] == "upload"
