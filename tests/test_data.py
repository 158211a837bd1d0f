"""The real data in geo/: complete, valid, sourced, honest about precision, within budget."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from kumamap.catalog import load_catalog
from kumamap.freshness import stale_problems
from kumamap.model import Precision, Status
from tests.asserts import assert_no_problems

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
DATA = load_catalog(GEO)
FEATURES = [feature for layer in DATA.layers for feature in layer.features]
NINE = {"35", "40", "41", "42", "43", "44", "45", "46", "47"}
BOUNDARY_BUDGET = 300_000


def feature(feature_id: str):
    found = DATA.feature(feature_id)
    assert found is not None, f"{feature_id} missing from geo/"
    return found[1]


def test_geo_validates_without_problems():
    assert_no_problems(DATA)


@pytest.mark.parametrize("layer", DATA.layers, ids=lambda layer: layer.id)
def test_every_layer_has_features(layer):
    assert layer.features, f"{layer.file} has no valid feature"


@pytest.mark.parametrize("item", FEATURES, ids=lambda f: f.id)
def test_feature_is_honest_about_what_is_known(item):
    assert all(s.url.startswith(("https://", "http://")) for s in item.sources)
    if item.precision is Precision.SCHEMATIC:
        assert item.note.en, f"{item.id}: a schematic shape must say why in note_en"
    if item.precision is Precision.EXACT:
        assert item.precision_m <= 200, f"{item.id}: 'exact' with ±{item.precision_m} m"


def test_nine_prefectures_with_codes():
    prefectures = [f for f in FEATURES if f.category == "prefecture"]
    extra = [dict(f.extra) for f in prefectures]
    assert {e["jis_code"] for e in extra} == NINE
    assert {e["iso_code"] for e in extra} == {f"JP-{code}" for code in NINE}
    assert all(f.name.zh_tw.endswith("縣") for f in prefectures)


def checkpoints():
    path = ROOT / "scripts" / "prefecture_checkpoints.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


@pytest.mark.parametrize("point", checkpoints(), ids=lambda p: p["name"])
def test_islands_fall_in_their_prefecture(point):
    location = Point(point["lon"], point["lat"])
    containing = [f.prefecture for f in FEATURES
                  if f.category == "prefecture" and shape(f.geometry).contains(location)]
    assert containing == [point["jis_code"]], point


def test_boundary_file_within_budget():
    size = (GEO / "prefectures.geojson").stat().st_size
    assert size < BOUNDARY_BUDGET, f"prefectures.geojson is {size:,} bytes"


def test_kumamoto_special_zone_is_june_2024():
    zone = feature("nssz-kumamoto")
    assert zone.status is Status.DESIGNATED
    assert zone.opened.startswith("2024-06")
    assert any("chisou.go.jp" in s.url for s in zone.sources)


def test_jasm_fabs():
    fab1, fab2 = feature("jasm-fab1"), feature("jasm-fab2")
    assert fab1.status is Status.OPERATING and fab1.opened.startswith("2024-02")
    assert fab2.status is Status.UNDER_CONSTRUCTION
    assert shape(fab2.geometry).centroid.x > shape(fab1.geometry).centroid.x, "fab 2 is east"


def test_timeline_covers_the_story():
    years = {event.date[:4] for event in DATA.events}
    assert {"2013", "2014", "2021", "2024", "2025"} <= years
    assert len({event.id for event in DATA.events}) == len(DATA.events)


def test_boundary_layers_match_their_build():
    """The committed boundary files pass the build script's own checks (no download)."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "scripts/build_prefectures.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_readme_layer_table_matches_the_files():
    """geo/README.md's table of layers states counts that readers rely on: keep it true."""
    rows = re.findall(r"^\| `([a-z-]+)` \| (\d+) \| (\d+) / (\d+) / (\d+) \|",
                      (GEO / "README.md").read_text(encoding="utf-8"), flags=re.MULTILINE)
    stated = {layer_id: tuple(map(int, counts)) for layer_id, *counts in rows}
    actual = {}
    for layer in DATA.layers:
        by_precision = Counter(f.precision for f in layer.features)
        actual[layer.id] = (len(layer.features), *(by_precision[p] for p in Precision))
    assert stated == actual


CLUSTER_LAYERS = ("firms", "silicon-island")
CLUSTER = [f for f in FEATURES if f.layer_id in CLUSTER_LAYERS]
# Codes the app names (i18n.COUNTRY_NAMES); a new one needs its names there first.
KNOWN_ORIGINS = {"TW", "JP", "US", "NL", "KR", "DE", "FR", "GB", "CH", "SG", "CN", "BE", "FI"}


def test_the_cluster_layers_are_sited_and_taiwanese_firms_among_them():
    assert len(CLUSTER) >= 40
    taiwanese = [f for f in CLUSTER if f.origin == "TW"]
    assert len(taiwanese) >= 12, [f.id for f in taiwanese]


@pytest.mark.parametrize("item", CLUSTER, ids=lambda f: f.id)
def test_every_cluster_site_says_who_what_and_where_from(item):
    assert item.geometry_type == "Point"
    assert item.origin in KNOWN_ORIGINS, item.origin
    assert item.sector and item.site_type, "sector and site_type are required here"
    assert item.prefecture in NINE
    assert item.precision is not Precision.EXACT and item.precision_m >= 100
    if item.origin == "TW":
        # A Taiwanese firm is found by its Chinese name: it must be written in Han characters.
        assert re.search(r"[\u4e00-\u9fff]", item.name.zh_tw), item.name.zh_tw


def says_why_it_shares_its_point(item) -> bool:
    return bool(SHARED_POINT_NOTE.search(item.note.en))


SHARED_POINT_NOTE = re.compile(r"shares (its|this) point")


def test_no_site_is_drawn_twice_across_the_cluster_layers():
    points = Counter(tuple(f.geometry["coordinates"]) for f in CLUSTER if f.layer_id == "firms"
                     if not says_why_it_shares_its_point(f))
    other = {tuple(f.geometry["coordinates"]) for f in CLUSTER if f.layer_id != "firms"}
    assert not set(points) & other


def test_distinct_firms_share_a_point_only_when_their_notes_say_why():
    by_point: dict[tuple[float, ...], list] = {}
    for item in CLUSTER:
        by_point.setdefault(tuple(item.geometry["coordinates"]), []).append(item)
    unexplained = [item.id for items in by_point.values() if len(items) > 1
                   for item in items if not says_why_it_shares_its_point(item)]
    assert not unexplained, f"shared points without a reason in note_en: {unexplained}"


@pytest.mark.parametrize("item", FEATURES, ids=lambda f: f.id)
def test_every_feature_says_when_its_facts_were_checked(item):
    assert item.checked is not None
    assert item.checked <= date.today().isoformat(), "checked in the future"


def test_no_status_is_older_than_its_planned_start():
    # A feature still planned or under construction in a year that began after its last
    # check has to be re-checked (kumamap validate names the same features).
    assert not stale_problems(DATA.layers, date.today()), [
        str(problem) for problem in stale_problems(DATA.layers, date.today())]
