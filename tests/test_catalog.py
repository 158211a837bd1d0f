import json

from kumamap.catalog import data_version, load_catalog
from kumamap.model import Kind
from tests.asserts import assert_no_problems, assert_one_problem
from tests.builders import MINI, copy_mini, raw_feature, write_json


def test_mini_catalog_loads_in_order():
    result = load_catalog(MINI)
    assert_no_problems(result)
    assert [layer.id for layer in result.layers] == ["jasm", "rail", "stations"]
    assert result.layers[2].kind is Kind.POINT
    assert [len(layer.features) for layer in result.layers] == [2, 1, 2]
    assert [event.id for event in result.events] == ["jasm-announced", "fab2-announced"]
    assert result.catalog.category_title("fab", "ja") == "半導体工場"
    assert result.catalog.category_title("unknown", "ja") == "unknown"


def test_truncated_file_is_named_and_others_load(tmp_path):
    root = copy_mini(tmp_path)
    text = (root / "jasm.geojson").read_text(encoding="utf-8")
    (root / "jasm.geojson").write_text(text[: len(text) // 2], encoding="utf-8")
    result = load_catalog(root)
    assert_one_problem(result, "bad-json", "geo/jasm.geojson", "is not valid JSON", "line")
    assert {layer.id: len(layer.features) for layer in result.layers} == {
        "jasm": 0, "rail": 1, "stations": 2,
    }


def test_missing_file_is_named(tmp_path):
    root = copy_mini(tmp_path)
    (root / "rail.geojson").unlink()
    result = load_catalog(root)
    assert_one_problem(result, "missing-file", "geo/rail.geojson", 'layer "rail"')
    assert len(result.layers) == 3


def test_file_over_budget_is_not_read(tmp_path):
    root = copy_mini(tmp_path)
    catalog = (root / "layers.toml").read_text(encoding="utf-8")
    (root / "layers.toml").write_text("max_bytes = 5000\n" + catalog, encoding="utf-8")
    padding = [raw_feature(id=f"pad-{i}") for i in range(20)]
    write_json(root / "rail.geojson", {"type": "FeatureCollection", "features": padding})
    result = load_catalog(root)
    assert_one_problem(result, "too-large", "geo/rail.geojson", "more than the limit of 5,000 bytes")


def test_bad_catalog_entry_skips_that_layer_only(tmp_path):
    root = copy_mini(tmp_path)
    catalog = (root / "layers.toml").read_text(encoding="utf-8")
    (root / "layers.toml").write_text(catalog.replace('kind = "line"', 'kind = "wiggle"'), encoding="utf-8")
    result = load_catalog(root)
    assert_one_problem(result, "bad-catalog", "geo/layers.toml", "layer #2", 'kind "wiggle" not in')
    assert [layer.id for layer in result.layers] == ["jasm", "stations"]


def test_missing_catalog(tmp_path):
    result = load_catalog(tmp_path)
    assert [str(p) for p in result.problems] == [f"{tmp_path.name}/layers.toml: does not exist"]


def test_duplicate_id_across_files(tmp_path):
    root = copy_mini(tmp_path)
    rail = json.loads((root / "rail.geojson").read_text(encoding="utf-8"))
    rail["features"][0]["properties"]["id"] = "jasm-fab1"
    write_json(root / "rail.geojson", rail)
    result = load_catalog(root)
    assert_one_problem(result, "duplicate-id", 'geo/rail.geojson: feature "jasm-fab1" (#0)')


def test_timeline_reference_to_unknown_feature(tmp_path):
    root = copy_mini(tmp_path)
    timeline = json.loads((root / "timeline.json").read_text(encoding="utf-8"))
    timeline["events"][0]["features"] = ["no-such-feature"]
    write_json(root / "timeline.json", timeline)
    result = load_catalog(root)
    assert_one_problem(result, "unknown-feature", 'event "jasm-announced"', "no-such-feature")
    assert len(result.events) == 2


def test_loading_never_writes(tmp_path):
    root = copy_mini(tmp_path)
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.iterdir()}
    load_catalog(root)
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.iterdir()} == before


def test_data_version_follows_changes_deletions_and_restores(tmp_path):
    root = copy_mini(tmp_path)
    original = data_version(root)
    catalog = (root / "layers.toml").read_bytes()
    (root / "layers.toml").unlink()
    deleted = data_version(root)
    assert deleted != original  # the newest time alone would not change on a deletion
    (root / "layers.toml").write_bytes(catalog[: len(catalog) // 2])
    truncated = data_version(root)
    assert truncated not in (original, deleted)
    (root / "layers.toml").write_bytes(catalog)
    assert data_version(root) not in (deleted, truncated)


def test_data_version_of_a_missing_folder_is_a_value(tmp_path):
    assert data_version(tmp_path / "nowhere") == "unreadable"
