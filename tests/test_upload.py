import io
import json
import zipfile

import geopandas
import pytest
from shapely.geometry import Point

from kumamap.sandbox import Limits
from kumamap.upload import MAX_UPLOAD_BYTES, read_upload
from tests.builders import HOSTILE_TEXT, raw_feature


def collection(*features, **extra):
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


PLAIN = {"type": "Feature", "properties": {"name": "My site"},
         "geometry": {"type": "Point", "coordinates": [130.8, 32.9]}}


def test_plain_geojson_gets_names_and_no_sources():
    layer, problems = read_upload("mine.geojson", collection(PLAIN), set())
    assert problems == ()
    (feature,) = layer.features
    assert (feature.id, feature.name.ja, feature.category, feature.sources) == (
        "upload-1", "My site", "upload", ())
    assert layer.title.en == "Your layer: mine.geojson"


def test_kumamap_schema_file_keeps_its_values():
    layer, problems = read_upload("ours.json", collection(raw_feature()), set())
    assert problems == ()
    assert layer.features[0].id == "test-zone" and layer.features[0].sources


def test_same_rules_and_messages_as_geo():
    broken = {**PLAIN, "geometry": {"type": "Point", "coordinates": [32.9, 130.8]}}
    _, problems = read_upload("mine.geojson", collection(PLAIN, broken), set())
    assert [str(p) for p in problems] == [
        'mine.geojson: feature "upload-2" (#1): coordinate [32.9, 130.8] is outside'
        " lon -180..180 / lat -90..90 (latitude and longitude swapped?)"]


def test_upload_ids_do_not_clash_with_the_map():
    _, problems = read_upload("ours.json", collection(raw_feature()), {"test-zone"})
    assert [p.code for p in problems] == ["duplicate-id"]


def test_not_geojson_is_named():
    _, problems = read_upload("notes.txt", b"hello", set())
    assert str(problems[0]).startswith("notes.txt: is not GeoJSON")
    _, problems = read_upload("fake.geojson", b"<html>", set())
    assert str(problems[0]).startswith("fake.geojson: is not valid JSON")
    _, problems = read_upload("fake.zip", b"PK not really", set())
    assert str(problems[0]) == "fake.zip: is not a readable zip archive: File is not a zip file"
    _, problems = read_upload("fake.gpkg", b"SQLite format 3 not really", set())
    assert str(problems[0]).startswith("fake.gpkg: cannot be read as geodata")


def test_size_limit():
    _, problems = read_upload("big.geojson", b" " * (MAX_UPLOAD_BYTES + 1), set())
    assert str(problems[0]) == (
        "big.geojson: is 5,000,001 bytes, more than the limit of 5,000,000 bytes")


def padded_collection(size: int) -> bytes:
    """A valid one-feature GeoJSON of exactly `size` bytes (spaces are valid JSON)."""
    raw = collection(PLAIN)
    return raw[:-1] + b" " * (size - len(raw)) + raw[-1:]


@pytest.mark.parametrize(("size", "is_refused"), [
    (5_000_000, False),  # 5 MB exactly: read
    (5_000_001, True),
    # Under 5 MiB: a browser on Windows sends it (it counts 2**20 bytes to its MB), one on
    # Linux or macOS does not; the server refuses it for everyone, before parsing it.
    (5_235_931, True),
])
def test_one_limit_of_5_mb_on_both_sides(size, is_refused):
    layer, problems = read_upload("edge.geojson", padded_collection(size), set())
    assert MAX_UPLOAD_BYTES == 5_000_000
    assert [problem.code for problem in problems] == (["too-large"] if is_refused else [])
    assert len(layer.features) == (0 if is_refused else 1)


def test_other_crs_is_reprojected():
    # JASM area in JGD2011 plane rectangular zone II (EPSG:6670), computed by geopandas here.
    projected = geopandas.GeoSeries([Point(130.835, 32.887)], crs=4326).to_crs(6670)[0]
    declared = collection(
        {"type": "Feature", "properties": {"name": "x"},
         "geometry": {"type": "Point", "coordinates": [projected.x, projected.y]}},
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6670"}})
    layer, problems = read_upload("projected.geojson", declared, set())
    assert problems == ()
    lon, lat = layer.features[0].geometry["coordinates"][:2]
    assert abs(lon - 130.835) < 1e-6 and abs(lat - 32.887) < 1e-6


def test_zipped_shapefile(tmp_path):
    frame = geopandas.GeoDataFrame({"name": ["A"]}, geometry=[Point(130.8, 32.9)], crs=4326)
    frame.to_file(tmp_path / "a.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in tmp_path.glob("a.*"):
            archive.write(part, part.name)
    layer, problems = read_upload("a.zip", buffer.getvalue(), set())
    assert problems == () and layer.features[0].name.en == "A"


def test_hostile_names_are_kept_as_text_for_escaping_later():
    hostile = {**PLAIN, "properties": {"name": HOSTILE_TEXT}}
    layer, _ = read_upload("h.geojson", collection(hostile), set())
    assert layer.features[0].name.en == HOSTILE_TEXT


def test_null_properties_are_no_properties():
    layer, problems = read_upload("null.geojson", collection({**PLAIN, "properties": None}), set())
    assert problems == ()
    assert (layer.features[0].id, layer.features[0].name.en) == ("upload-1", "Feature 1")


@pytest.mark.parametrize("raw", [
    b"[" * 100_000,
    collection({**PLAIN, "properties": {"name": "x", "deep": json.loads("[" * 900 + "]" * 900)}}),
])
def test_deep_nesting_is_a_problem_not_a_crash(raw):
    _, problems = read_upload("deep.geojson", raw, set())
    assert [str(p) for p in problems] == ["deep.geojson: nests deeper than 32 levels"]


def test_feature_and_vertex_counts_are_bounded_before_validating():
    many = collection(*[PLAIN] * 11)
    _, problems = read_upload("many.geojson", many, set(), Limits(features=10))
    assert [str(p) for p in problems] == [
        "many.geojson: has 11 features, more than the limit of 10 features"]
    ring = [[130.8 + i * 1e-4, 32.9 + (i % 2) * 1e-4] for i in range(200)] + [[130.8, 32.9]]
    polygon = {**PLAIN, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    _, problems = read_upload("big.geojson", collection(polygon), set(), Limits(vertices=200))
    assert [str(p) for p in problems] == [
        "big.geojson: has 201 vertices, more than the limit of 200 vertices"]


def test_every_layer_of_a_zip_is_read(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("roads", "parks"):
            frame = geopandas.GeoDataFrame({"name": [name]}, geometry=[Point(130.8, 32.9)],
                                           crs=4326)
            frame.to_file(tmp_path / f"{name}.shp")
            for part in tmp_path.glob(f"{name}.*"):
                archive.write(part, part.name)
    layer, problems = read_upload("two.zip", buffer.getvalue(), set())
    assert problems == ()
    assert sorted(feature.name.en for feature in layer.features) == ["parks", "roads"]


def test_json_structure_is_bounded_before_parsing():
    raw = b'{"type": "FeatureCollection", "features": [' + b"{}," * 299_999 + b"{}]}"
    _, problems = read_upload("empty.geojson", raw, set())
    assert [str(p) for p in problems] == [
        "empty.geojson: has 300,002 JSON objects and arrays, "
        "more than the limit of 300,000 JSON objects and arrays"]
