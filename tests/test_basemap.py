"""The committed offline basemap in src/kumamap/assets/basemap/ (scripts/build_basemap.py)."""

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, box, shape

ROOT = Path(__file__).parents[1]
BASEMAP = ROOT / "src" / "kumamap" / "assets" / "basemap"
CHECKPOINTS = ROOT / "scripts" / "prefecture_checkpoints.json"
MANIFEST = json.loads((BASEMAP / "MANIFEST.json").read_text(encoding="utf-8"))
BANDS = {band["band"]: band for band in MANIFEST["bands"]}
KINDS = {"land", "coast", "border", "lake", "river"}
MAX_GZIP_TOTAL = 300_000
MAX_GZIP_WORLD = 50_000  # the world band loads first

KUMAMOTO = (130.71, 32.80)
FUKUOKA = (130.40, 33.59)
PRAGUE = (14.42, 50.09)
DALLAS = (-96.80, 32.78)
# Open water, each more than 5 km from the Natural Earth coast.
SEA = {
    "East China Sea west of the Satsuma Peninsula": (130.0, 31.0),
    "Tsushima Strait between Tsushima and Iki": (129.5, 34.0),
    "Pacific east of the Osumi Peninsula": (131.8, 31.0),
    "Kagoshima Bay": (130.65, 31.45),
    "Ariake Sea": (130.45, 32.85),
    "Suo-nada": (131.5, 33.8),
}


def read_band(band_id):
    return json.loads((BASEMAP / BANDS[band_id]["file"]).read_text(encoding="utf-8"))


def land_of(band_id, *, covered=True):
    features = read_band(band_id)["features"]
    return shapely.union_all([
        shape(f["geometry"]) for f in features
        if f["properties"]["kind"] == "land" and (covered or "covered_by" not in f["properties"])
    ])


def test_bands_are_world_region_local_in_zoom_order():
    assert list(BANDS) == ["world", "region", "local"]
    assert [b["min_zoom"] for b in BANDS.values()] == [0, 5, 9]
    assert [b["max_zoom"] for b in BANDS.values()][:2] == [4, 8]
    assert MANIFEST["licence"] == "Natural Earth, public domain"
    assert MANIFEST["source"]["package"] == "libgnudatalanguage0=1.0.1-4+b5"
    assert len(MANIFEST["source"]["sha256"]) == 64


@pytest.mark.parametrize("band_id", ["world", "region", "local"])
def test_manifest_matches_the_file(band_id):
    band = BANDS[band_id]
    data = (BASEMAP / band["file"]).read_bytes()
    assert band["bytes"] == len(data)
    assert band["sha256"] == hashlib.sha256(data).hexdigest()
    # zlib versions may differ by a few bytes; the budget below has room for that.
    assert band["gzip_bytes"] == pytest.approx(len(gzip.compress(data, 9)), rel=0.02)


def test_no_stray_files():
    listed = {b["file"] for b in BANDS.values()} | {"MANIFEST.json", "basemap.js"}
    assert {p.name for p in BASEMAP.iterdir()} == listed


def test_gzip_budget():
    sizes = {b["band"]: len(gzip.compress((BASEMAP / b["file"]).read_bytes(), 9))
             for b in BANDS.values()}
    assert sum(sizes.values()) <= MAX_GZIP_TOTAL, sizes
    assert sizes["world"] <= MAX_GZIP_WORLD, sizes


@pytest.mark.parametrize("band_id", ["world", "region", "local"])
def test_band_is_rfc7946_geojson_within_its_box(band_id):
    band, collection = BANDS[band_id], read_band(band_id)
    assert collection["type"] == "FeatureCollection"
    assert collection["bbox"] == band["bbox"]
    frame = box(*band["bbox"])
    for number, feature in enumerate(collection["features"]):
        where = f"{band_id} feature #{number}"
        assert feature["type"] == "Feature", where
        assert feature["properties"]["kind"] in KINDS, where
        geom = shape(feature["geometry"])
        assert geom.is_valid and not geom.is_empty, where
        assert frame.covers(geom), where
        for polygon in shapely.get_parts(geom) if geom.geom_type.endswith("Polygon") else ():
            # RFC 7946: exteriors counter-clockwise, holes clockwise.
            assert polygon.exterior.is_ccw, where
            assert not any(ring.is_ccw for ring in polygon.interiors), where


@pytest.mark.parametrize("band_id", ["world", "region", "local"])
def test_coordinates_are_rounded_to_the_band_precision(band_id):
    decimals = BANDS[band_id]["decimals"]
    coords = shapely.get_coordinates([shape(f["geometry"]) for f in read_band(band_id)["features"]])
    assert (coords.round(decimals) == coords).all()


@pytest.mark.parametrize("band_id", ["world", "region"])
def test_covered_parts_lie_inside_the_finer_band(band_id):
    finer = BANDS[BANDS[band_id]["covered_by"]]
    inner = box(*finer["bbox"])
    for feature in read_band(band_id)["features"]:
        geom = shape(feature["geometry"])
        if feature["properties"].get("covered_by") == finer["band"]:
            assert inner.covers(geom)
        else:
            assert geom.intersection(inner).area == 0 and not inner.contains(geom)


@pytest.mark.parametrize("band_id", ["world", "region", "local"])
def test_coast_never_runs_along_a_cut(band_id):
    band = BANDS[band_id]
    boxes = [band["bbox"]] + ([BANDS[band["covered_by"]]["bbox"]] if band["covered_by"] else [])
    cuts = shapely.union_all([box(*b).boundary for b in boxes])
    for feature in read_band(band_id)["features"]:
        if feature["properties"]["kind"] == "coast":
            assert shape(feature["geometry"]).intersection(cuts).length == 0


@pytest.mark.parametrize("band_id", ["local", "region", "world"])
def test_kyushu_cities_are_on_land_and_the_seas_are_not(band_id):
    land = land_of(band_id)
    for lon_lat in (KUMAMOTO, FUKUOKA):
        assert land.contains(Point(lon_lat)), lon_lat
    if band_id != "world":  # 10 km generalisation closes the bays
        for name, lon_lat in SEA.items():
            assert not land.intersects(Point(lon_lat)), name


def test_world_band_has_prague_and_dallas_outside_the_region_box():
    land = land_of("world", covered=False)
    for lon_lat in (PRAGUE, DALLAS):
        assert land.contains(Point(lon_lat)), lon_lat


@pytest.mark.parametrize("band_id", ["local", "region"])
def test_prefecture_checkpoints_in_the_box_are_on_land(band_id):
    # The points the prefecture layer is checked with: offices, city halls and islands.
    land, frame = land_of(band_id), box(*BANDS[band_id]["bbox"])
    inside = [p for p in json.loads(CHECKPOINTS.read_text(encoding="utf-8"))
              if frame.contains(Point(p["lon"], p["lat"]))]
    assert len(inside) >= 10
    missing = [p["name"] for p in inside if not land.contains(Point(p["lon"], p["lat"]))]
    assert not missing


def test_outline_script_stays_small_and_offline():
    script = (BASEMAP / "basemap.js").read_text(encoding="utf-8")
    assert len(script.splitlines()) < 170
    assert "window.KumamapBasemap" in script
    # Its only absolute URL is the credit link; every file comes from the given base URL.
    assert re.findall(r"[a-z]+://[^\s'\"<>]+", script) == ["https://www.naturalearthdata.com/"]
