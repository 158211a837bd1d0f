import pytest

from kumamap.model import Kind, Layer, Precision, Problem, Status, Texts
from kumamap.validate import Invalid, check_geometry, read_events, read_feature, read_layer_features
from tests.builders import SQUARE, raw_feature

LAYER = Layer("parks", "parks.geojson", Kind.ZONE, Texts("Parks"), "#ff0000", True, 1, "",
              (130.55, 32.7, 131.05, 33.05))


def test_valid_feature_reads_every_field():
    feature = read_feature(raw_feature(note_en="n", length_km=6.8), LAYER)
    assert feature.id == "test-zone"
    assert feature.status is Status.OPERATING
    assert feature.precision is Precision.APPROXIMATE
    assert feature.area_ha == 21.3
    assert feature.name.zh_tw == "測試區域"
    assert feature.sources[0].publisher == "P"
    assert feature.note.en == "n"
    assert feature.extra == (("length_km", 6.8),)


@pytest.mark.parametrize(
    ("changes", "code", "fragment"),
    [
        ({"name_ja": None}, "missing-field", '"name_ja"'),
        ({"summary_en": "  "}, "missing-field", '"summary_en"'),
        ({"status": "planed"}, "bad-value", 'status "planed" not in'),
        ({"precision": "rough"}, "bad-value", 'precision "rough"'),
        ({"precision_m": -5}, "bad-value", "precision_m"),
        ({"announced": "2021/11/09"}, "bad-date", "announced"),
        ({"opened": "2024-13"}, "bad-date", "opened"),
        ({"sources": []}, "missing-sources", "sources"),
        ({"sources": [{"url": "https://x.org", "title": "t", "publisher": "p"}]}, "bad-source", '"date"'),
        ({"sources": [{"url": "javascript:alert(1)", "title": "t", "publisher": "p", "date": "2024"}]},
         "bad-source", "not http(s)"),
        ({"id": "Bad Id"}, "bad-id", "id 'Bad Id'"),
        ({"confidence": "sure"}, "bad-value", "confidence"),
        ({"planned_year": "2027"}, "bad-value", "planned_year"),
        ({"prefecture": 43}, "bad-value", "prefecture"),
    ],
)
def test_broken_property_is_named(changes, code, fragment):
    with pytest.raises(Invalid) as caught:
        read_feature(raw_feature(**changes), LAYER)
    assert caught.value.code == code
    assert fragment in str(caught.value)


SELF_INTERSECTING = {
    "type": "Polygon",
    "coordinates": [[[130.83, 32.88], [130.84, 32.89], [130.84, 32.88], [130.83, 32.89], [130.83, 32.88]]],
}
SWAPPED = {"type": "Point", "coordinates": [32.87, 130.83]}
SWAPPED_IN_RANGE = {"type": "Point", "coordinates": [32.87, 30.83]}


@pytest.mark.parametrize(
    ("geometry", "code", "fragment"),
    [
        (None, "no-geometry", "has no geometry"),
        ({"type": "GeometryCollection", "geometries": []}, "bad-geometry", "not supported"),
        (SELF_INTERSECTING, "invalid-geometry", "Self-intersection"),
        (SWAPPED, "out-of-range", "swapped"),
        (SWAPPED_IN_RANGE, "outside-area", "swapped"),
        ({"type": "Point", "coordinates": ["a", "b"]}, "bad-geometry", "not [lon, lat]"),
        ({"type": "Polygon", "coordinates": [[[130.83, 32.88], [130.84, 32.88]]]}, "bad-geometry", ""),
    ],
)
def test_broken_geometry_is_named(geometry, code, fragment):
    with pytest.raises(Invalid) as caught:
        check_geometry(geometry, LAYER.bbox)
    assert caught.value.code == code
    assert fragment in str(caught.value)


def test_collection_keeps_good_features_and_names_bad_ones():
    data = {
        "type": "FeatureCollection",
        "features": [
            raw_feature(),
            raw_feature(id="broken", status="planed"),
            raw_feature(),  # duplicate id
            raw_feature(geometry=SQUARE, id="second"),
        ],
    }
    taken: set[str] = set()
    features, problems = read_layer_features(data, LAYER, taken, "geo/parks.geojson")
    assert [f.id for f in features] == ["test-zone", "second"]
    assert [str(p) for p in problems] == [
        "geo/parks.geojson: feature \"broken\" (#1): status \"planed\" not in "
        "('operating', 'under_construction', 'planned', 'candidate', 'designated', 'proposed', 'existing')",
        'geo/parks.geojson: feature "test-zone" (#2): id is already used',
    ]
    assert taken == {"test-zone", "second"}


def test_duplicate_across_layers_uses_taken_ids():
    data = {"type": "FeatureCollection", "features": [raw_feature()]}
    _, problems = read_layer_features(data, LAYER, {"test-zone"}, "geo/b.geojson")
    assert [p.code for p in problems] == ["duplicate-id"]


def test_not_a_collection():
    _, problems = read_layer_features({"type": "Feature"}, LAYER, set(), "geo/x.geojson")
    assert str(problems[0]) == "geo/x.geojson: is not a GeoJSON FeatureCollection"


def test_problem_without_id_names_the_index():
    problem = Problem("geo/x.geojson", "no-geometry", "has no geometry", None, 4)
    assert str(problem) == "geo/x.geojson: feature without id (#4): has no geometry"


def test_events_sorted_and_broken_named():
    source = [{"url": "https://x.org", "title": "t", "publisher": "p", "date": "2024"}]
    data = {"events": [
        {"id": "b", "date": "2024-02", "title_en": "B", "title_ja": "B", "title_zh_tw": "B", "sources": source},
        {"id": "a", "date": "2013", "title_en": "A", "title_ja": "A", "title_zh_tw": "A", "sources": source},
        {"id": "c", "date": "soon", "title_en": "C", "title_ja": "C", "title_zh_tw": "C", "sources": source},
    ]}
    events, problems = read_events(data, "geo/timeline.json")
    assert [e.id for e in events] == ["a", "b"]
    assert str(problems[0]).startswith('geo/timeline.json: event "c" (#2): date "soon"')
