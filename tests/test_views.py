"""Preset views: the box that fits features, and the presets table."""

import tomllib
from pathlib import Path

import pytest

from kumamap.views import PRESETS, fit_bounds, preset_bounds

PRAGUE = (14.42, 50.09)
FUKUOKA = (130.40, 33.59)
DALLAS = (-96.80, 32.78)
KUMAMOTO = (130.71, 32.80)


def point(lon_lat):
    return {"type": "Point", "coordinates": list(lon_lat)}


def contains(box, lon_lat):
    south, west, north, east = box
    lon, lat = lon_lat
    return south <= lat <= north and (west <= lon <= east or west <= lon + 360 <= east)


def test_fukuoka_and_dallas_fit_across_the_pacific():
    box = preset_bounds([point(FUKUOKA), point(DALLAS)], padding=0)
    assert box == pytest.approx((32.78, 130.40, 33.59, 263.20))
    assert box[3] > 180  # Leaflet convention: east beyond 180, never west > east


def test_prague_fukuoka_dallas_fit_the_narrower_atlantic_box():
    # Across the Pacific the box would run 14.42..263.2 (248.8 degrees); over the Atlantic
    # and Eurasia it is 227.2 degrees, so the plain box is the tighter one.
    box = preset_bounds([point(PRAGUE), point(FUKUOKA), point(DALLAS)], padding=0)
    assert box == pytest.approx((32.78, -96.80, 50.09, 130.40))
    for place in (PRAGUE, FUKUOKA, DALLAS):
        assert contains(box, place)


def test_a_box_in_kyushu_is_plain():
    line = {"type": "LineString", "coordinates": [list(FUKUOKA), list(KUMAMOTO)]}
    south, west, north, east = preset_bounds([line], padding=0)
    assert (south, west, north, east) == pytest.approx((32.80, 130.40, 33.59, 130.71))
    assert west < east < 180


def test_padding_grows_each_side_by_a_share_of_the_span():
    box = preset_bounds([point(FUKUOKA), point(KUMAMOTO)], padding=0.5)
    height, width = 33.59 - 32.80, 130.71 - 130.40
    assert box == pytest.approx(
        (32.80 - height / 2, 130.40 - width / 2, 33.59 + height / 2, 130.71 + width / 2))


def test_padding_of_a_crossing_box_keeps_east_beyond_180():
    _, west, _, east = preset_bounds([point(FUKUOKA), point(DALLAS)], padding=0.1)
    assert west == pytest.approx(130.40 - 13.28)
    assert east == pytest.approx(263.20 + 13.28)


def test_polygons_multipolygons_and_collections_count_every_position():
    square = [[[130.0, 32.0], [131.0, 32.0], [131.0, 33.0], [130.0, 33.0], [130.0, 32.0]]]
    geometries = [
        {"type": "MultiPolygon", "coordinates": [square]},
        {"type": "GeometryCollection", "geometries": [point(KUMAMOTO), point((129.0, 34.0))]},
    ]
    assert preset_bounds(geometries, padding=0) == pytest.approx((32.0, 129.0, 34.0, 131.0))


def test_empty_input_raises_a_clear_error():
    with pytest.raises(ValueError, match="at least one geometry"):
        preset_bounds([])
    with pytest.raises(ValueError, match="at least one geometry"):
        preset_bounds([{"type": "MultiPoint", "coordinates": []}])


def test_out_of_range_positions_and_negative_padding_are_refused():
    with pytest.raises(ValueError, match="outside lon"):
        preset_bounds([point((263.2, 32.78))])
    with pytest.raises(ValueError, match="padding"):
        preset_bounds([point(FUKUOKA)], padding=-0.1)


def test_fit_bounds_is_south_west_then_north_east():
    assert fit_bounds((32.78, 130.40, 33.59, 263.20)) == [[32.78, 130.40], [33.59, 263.20]]


def test_presets_say_which_layers_they_are_for():
    assert PRESETS["kumamoto"].layers == ("jasm", "industrial-parks")
    assert PRESETS["kyushu"].layers == ("prefectures",)
    assert PRESETS["world"].layers == ("trade-centres",)
    assert all(preset.id == key for key, preset in PRESETS.items())


def test_preset_layers_exist_in_the_catalog():
    catalog = tomllib.loads((Path(__file__).parents[1] / "geo" / "layers.toml").read_text("utf-8"))
    layer_ids = {layer["id"] for layer in catalog["layers"]}
    for preset in PRESETS.values():
        assert set(preset.layers) <= layer_ids, preset.id
