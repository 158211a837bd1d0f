"""The map's collections: built once per data version, language and filter."""

import copy

import folium

from kumamap.filters import FilterState, apply_filters
from kumamap.mapdata import collection_for
from kumamap.mapview import by_shape, layer_groups
from tests.test_mapview import RESULT, full_view


def shown(view=None):
    return (view or full_view()).layers[0].shown


def test_the_same_version_language_and_filter_give_the_same_collection():
    first = collection_for(shown(), RESULT.catalog, "ja", "v1")
    assert collection_for(shown(), RESULT.catalog, "ja", "v1") is first


def test_another_language_version_or_filter_is_another_collection():
    first = collection_for(shown(), RESULT.catalog, "en", "v1")
    assert collection_for(shown(), RESULT.catalog, "ja", "v1") is not first
    assert collection_for(shown(), RESULT.catalog, "en", "v2") is not first
    as_of_1969 = apply_filters(RESULT.layers, FilterState(
        layer_ids=frozenset(layer.id for layer in RESULT.layers), year=1969))
    if shown(as_of_1969) != shown():
        assert collection_for(shown(as_of_1969), RESULT.catalog, "en", "v1") is not first


def test_a_reader_upload_has_no_version_and_is_never_kept():
    first = collection_for(shown(), RESULT.catalog, "en", None)
    assert collection_for(shown(), RESULT.catalog, "en", None) is not first
    assert collection_for(shown(), RESULT.catalog, "en", None) == first


def test_drawing_a_cached_collection_leaves_it_as_it_was():
    """Shared by every session: folium must only read it."""
    versions = {layer.id: "v1" for layer in RESULT.layers}

    def drawn():  # the collections layer_groups draws: one per layer and kind of shape
        return [collection_for(features, RESULT.catalog, "en", "v1")
                for lv in full_view().layers for features in by_shape(lv).values()]

    before = copy.deepcopy(drawn())
    fmap = folium.Map(tiles=None)
    for group in layer_groups(full_view(), RESULT.catalog, "en", versions):
        group.add_to(fmap)
    fmap.get_root().render()
    assert drawn() == before


def test_a_collection_is_encoded_once_per_version_and_language_and_as_script_json_would():
    from kumamap.details import script_json
    from kumamap.mapdata import encoded_collection

    first = encoded_collection(shown(), RESULT.catalog, "en", "v1")
    assert encoded_collection(shown(), RESULT.catalog, "en", "v1") is first
    assert encoded_collection(shown(), RESULT.catalog, "ja", "v1") is not first
    assert first.text == script_json(collection_for(shown(), RESULT.catalog, "en", "v1"))
    upload = encoded_collection(shown(), RESULT.catalog, "en", None)
    assert encoded_collection(shown(), RESULT.catalog, "en", None) is not upload


def test_each_feature_carries_its_filter_data_beside_its_properties():
    from kumamap.textmatch import normalise

    collection = collection_for(shown(), RESULT.catalog, "en", None)
    for feature, item in zip(collection["features"], shown(), strict=True):
        data = feature["filter"]
        assert "filter" not in feature["properties"]  # a click does not send it back
        assert data["status"] == item.feature.status.value
        assert data["category"] == item.feature.category
        assert None not in data.values() and "" not in data.values()
        lines = data["names"].split("\n")
        assert normalise(item.feature.name.en) in lines and len(lines) == len(set(lines))
