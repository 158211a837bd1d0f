"""The pure pane helpers: which shape a geometry draws as, and the fixed stacking of panes."""

from dataclasses import replace

from kumamap.catalog import load_catalog
from kumamap.mapstyle import SHAPES, layer_pane, panes, shape_of, shape_pane
from tests.builders import MINI

LAYERS = load_catalog(MINI).layers


def test_each_geometry_draws_as_its_shape():
    assert shape_of({"type": "Point"}) == "point"
    assert shape_of({"type": "MultiPoint"}) == "point"
    assert shape_of({"type": "LineString"}) == "line"
    assert shape_of({"type": "MultiLineString"}) == "line"
    assert shape_of({"type": "Polygon"}) == "area"
    assert shape_of({"type": "MultiPolygon"}) == "area"


def test_a_collection_draws_as_its_largest_member_and_an_unknown_type_as_an_area():
    collection = {"type": "GeometryCollection",
                  "geometries": [{"type": "Point"}, {"type": "Polygon"}, {"type": "LineString"}]}
    assert shape_of(collection) == "area"
    assert shape_of({"type": "GeometryCollection", "geometries": [{"type": "Point"}]}) == "point"
    assert shape_of({"type": "GeometryCollection", "geometries": []}) == "area"
    assert shape_of({}) == "area"


def test_layer_panes_are_named_per_layer_and_shape():
    layer = LAYERS[0]
    names = {layer_pane(layer, shape) for shape in SHAPES}
    assert len(names) == len(SHAPES)
    assert all(layer.id in name for name in names)


def test_points_stack_over_lines_over_areas_and_layers_by_catalog_order():
    first, second = replace(LAYERS[0], order=20), replace(LAYERS[1], order=10)
    made = panes([first, second])
    by_name = {pane["name"]: pane for pane in made}
    parents = [pane for pane in made if pane["parent"] == "overlayPane"]
    # Parents come first, so a layer's pane always finds its parent made.
    assert made[:len(parents)] == parents
    bottom_to_top = sorted(parents, key=lambda pane: pane["z_index"])
    assert [pane["name"] for pane in bottom_to_top] == [shape_pane(shape) for shape in SHAPES]
    assert SHAPES == ("area", "line", "point")
    for shape in SHAPES:
        upper, lower = by_name[layer_pane(first, shape)], by_name[layer_pane(second, shape)]
        assert upper["parent"] == lower["parent"]
        assert upper["z_index"] > lower["z_index"]
    assert len(made) == len(SHAPES) * 3
