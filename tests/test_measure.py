import math

import pytest
import shapely.geometry
from pyproj import Geod

from kumamap.catalog import load_catalog
from kumamap.measure import (
    RING_RADII_KM,
    distance_m,
    format_distance,
    reach,
    rings,
)
from kumamap.model import Kind, Layer, Texts
from kumamap.validate import read_feature
from tests.builders import GEO, SQUARE, raw_feature

WGS84 = Geod(ellps="WGS84")
WORLD = Layer("points", "points.geojson", Kind.POINT, Texts("Points"), "#000000", True, 1, "",
              (-180, -90, 180, 90))

KUMAMOTO_CITY_HALL = (130.7079, 32.8032)
FUKUOKA_CITY_HALL = (130.4017, 33.5902)
PRAGUE = (14.4213, 50.0875)
DALLAS = (-96.7970, 32.7767)


def point(lon_lat: tuple[float, float]) -> dict:
    return {"type": "Point", "coordinates": list(lon_lat)}


def geodesic_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return WGS84.inv(*a, *b)[2]


def feature(feature_id: str, lon_lat: tuple[float, float], category: str = "station"):
    return read_feature(raw_feature(point(lon_lat), id=feature_id, category=category), WORLD)


@pytest.mark.parametrize(("a", "b"), [
    (KUMAMOTO_CITY_HALL, FUKUOKA_CITY_HALL),
    (KUMAMOTO_CITY_HALL, PRAGUE),
    (DALLAS, KUMAMOTO_CITY_HALL),
])
def test_point_distance_is_geodesic(a, b):
    assert distance_m(point(a), point(b)) == pytest.approx(geodesic_m(a, b), rel=1e-3)


def test_kumamoto_fukuoka_city_halls():
    # About 0.79° of latitude and 0.31° of longitude apart: roughly 92 km as the crow flies.
    assert 90_000 < distance_m(point(KUMAMOTO_CITY_HALL), point(FUKUOKA_CITY_HALL)) < 94_000


def test_published_geodesic_flinders_peak_to_buninyong():
    # The classic test line of Vincenty's method (Geoscience Australia): 54,972.271 m.
    flinders = (144 + 25 / 60 + 29.52440 / 3600, -(37 + 57 / 60 + 3.72030 / 3600))
    buninyong = (143 + 55 / 60 + 35.38390 / 3600, -(37 + 39 / 60 + 10.15610 / 3600))
    assert distance_m(point(flinders), point(buninyong)) == pytest.approx(54_972.271, abs=0.5)


def test_point_inside_polygon_is_zero():
    assert distance_m(SQUARE, point((130.835, 32.885))) == 0
    assert distance_m(point((130.835, 32.885)), SQUARE) == 0


def test_touching_polygons_are_zero():
    neighbour = {"type": "Polygon", "coordinates": [[[130.84, 32.88], [130.85, 32.88],
                                                     [130.85, 32.89], [130.84, 32.89],
                                                     [130.84, 32.88]]]}
    assert distance_m(SQUARE, neighbour) == 0


def test_polygon_distance_is_to_its_nearest_edge_not_its_centre():
    east = (130.85, 32.885)
    expected = geodesic_m((130.84, 32.885), east)  # the square's east edge is at 130.84
    assert distance_m(SQUARE, point(east)) == pytest.approx(expected, rel=1e-3)


def test_line_distance():
    line = {"type": "LineString", "coordinates": [[130.80, 32.80], [130.80, 32.90]]}
    expected = geodesic_m((130.80, 32.85), (130.81, 32.85))
    assert distance_m(line, point((130.81, 32.85))) == pytest.approx(expected, rel=1e-3)


def test_rings_have_the_default_radii_around_the_centroid():
    made = rings(SQUARE)
    assert tuple(ring.radius_km for ring in made) == RING_RADII_KM == (5, 10, 20, 30)
    centre = (130.835, 32.885)
    for ring in made:
        for lon_lat in ring.polygon["coordinates"][0]:
            assert geodesic_m(centre, tuple(lon_lat)) == pytest.approx(ring.radius_km * 1000,
                                                                       rel=1e-4)


def test_ring_is_a_valid_round_counter_clockwise_polygon():
    (ring,) = rings(point(KUMAMOTO_CITY_HALL), radii_km=(7.5,))
    assert ring.radius_km == 7.5
    assert ring.polygon["type"] == "Polygon"
    (outline,) = ring.polygon["coordinates"]
    assert len(outline) >= 129 and outline[0] == outline[-1]
    shape = shapely.geometry.shape(ring.polygon)
    assert shape.is_valid and shape.exterior.is_ccw
    assert all(round(value, 6) == value for lon_lat in outline for value in lon_lat)


def test_non_positive_radius_is_refused():
    with pytest.raises(ValueError, match="positive radius"):
        rings(SQUARE, radii_km=(0,))


def test_reach_from_origin_and_nearest_station():
    fab = feature("fab", (130.834, 32.886), category="fab")
    near = feature("near", (130.829, 32.870))
    far = feature("far", (130.760, 32.880))
    found = reach(fab, fab, (far, near))
    assert found.from_origin_m == 0
    assert found.nearest_station is near
    assert found.station_m == pytest.approx(geodesic_m((130.834, 32.886), (130.829, 32.870)),
                                            rel=1e-3)


def test_station_nearest_station_is_another_one():
    a, b = feature("a", (130.80, 32.87)), feature("b", (130.81, 32.87))
    c = feature("c", (130.90, 32.87))
    assert reach(a, None, (a, b, c)).nearest_station is b


def test_reach_without_origin_or_stations():
    station = feature("only", (130.80, 32.87))
    assert reach(station, None, ()) == reach(station, None, (station,))
    found = reach(station, None, (station,))
    assert (found.from_origin_m, found.nearest_station, found.station_m) == (None, None, None)


def test_reach_origin_distance_without_stations():
    far = feature("far", PRAGUE, category="trade-centre")
    origin = feature("origin", KUMAMOTO_CITY_HALL, category="fab")
    found = reach(far, origin, ())
    assert found.from_origin_m == pytest.approx(geodesic_m(PRAGUE, KUMAMOTO_CITY_HALL), rel=1e-3)
    assert found.nearest_station is None and found.station_m is None


def test_equal_distances_keep_the_stations_order():
    centre = feature("centre", (130.80, 32.87), category="fab")
    west, east = feature("west", (130.79, 32.87)), feature("east", (130.81, 32.87))
    assert reach(centre, None, (east, west)).nearest_station is east
    assert reach(centre, None, (west, east)).nearest_station is west


@pytest.mark.parametrize(("metres", "text"), [
    (0, "0 m"), (4, "0 m"), (847, "850 m"), (994, "990 m"), (996, "1.0 km"), (1_000, "1.0 km"),
    (12_345, "12.3 km"), (99_940, "99.9 km"), (99_960, "100 km"), (1_234_000, "1,234 km"),
])
def test_format_distance(metres, text):
    assert format_distance(metres) == text


def test_negative_distance_is_refused():
    with pytest.raises(ValueError, match="negative"):
        format_distance(-1)


REAL = load_catalog(GEO)


def real(feature_id: str):
    return REAL.feature(feature_id)[1]


def test_real_jasm_to_haramizu_station():
    assert 1_000 < distance_m(real("jasm-fab1").geometry, real("st-haramizu").geometry) < 4_000


def test_real_nearest_station_to_jasm_is_haramizu():
    stations = [f for layer in REAL.layers for f in layer.features if f.category == "station"]
    found = reach(real("jasm-fab1"), real("jasm-fab1"), stations)
    assert found.from_origin_m == 0
    assert found.nearest_station.id == "st-haramizu"


def test_real_rings_around_jasm_are_geodesic_circles():
    for ring in rings(real("jasm-fab1").geometry):
        shape = shapely.geometry.shape(ring.polygon)
        area, _ = WGS84.geometry_area_perimeter(shape)
        assert shape.is_valid
        assert area == pytest.approx(math.pi * (ring.radius_km * 1000) ** 2, rel=0.01)
