"""Issue 15's rows about the data folder, each reproduced: the loader names the problem and
never raises; open sessions recover when the data is fixed."""

import pytest

from kumamap.catalog import load_catalog
from tests.builders import copy_mini, raw_feature, write_json
from tests.test_app import is_on, run_app, shown_count, unescape


def layer_file(root, features) -> None:
    write_json(root / "stations.geojson", {"type": "FeatureCollection", "features": features})


def codes(root) -> list[str]:
    return [problem.code for problem in load_catalog(root).problems]


def test_null_properties_are_a_problem_not_a_crash(tmp_path):
    root = copy_mini(tmp_path)
    feature = raw_feature()
    feature["properties"] = None
    layer_file(root, [feature])
    problems = load_catalog(root).problems
    assert [p.code for p in problems] == ["missing-field"]
    assert "stations.geojson: feature without id (#0): has no properties" in str(problems[0])


def test_a_property_nested_900_deep_is_refused_as_too_deep(tmp_path):
    root = copy_mini(tmp_path)
    deep: object = "x"
    for _ in range(900):
        deep = [deep]
    layer_file(root, [raw_feature(note=deep)])
    assert codes(root) == ["too-deep"]


def test_100000_nested_brackets_are_refused(tmp_path):
    root = copy_mini(tmp_path)
    (root / "stations.geojson").write_text("[" * 100_000, encoding="utf-8")
    assert codes(root) == ["too-deep"]


@pytest.mark.parametrize(("line", "fragment"), [
    ('order = "3"', "order must be a whole number"),
    ('visible = "false"', "visible must be true or false"),
    ('max_bytes = "1MB"', "max_bytes must be a whole number"),
    ('bbox = "x"', "bbox must be"),
])
def test_wrong_typed_catalog_keys_are_named(tmp_path, line, fragment):
    root = copy_mini(tmp_path)
    catalog = (root / "layers.toml").read_text(encoding="utf-8")
    key = line.split(" =")[0]
    lines = [entry for entry in catalog.splitlines() if not entry.startswith(f"{key} =")]
    # Into the first layer entry, after its id.
    at = lines.index('id = "jasm"') + 1
    (root / "layers.toml").write_text("\n".join([*lines[:at], line, *lines[at:]]),
                                      encoding="utf-8")
    result = load_catalog(root)
    assert any(fragment in str(problem) for problem in result.problems), result.problems
    assert "jasm" not in {layer.id for layer in result.layers}  # that entry is left out
    assert {"stations", "rail"} <= {layer.id for layer in result.layers}


def test_categories_that_are_not_a_table_are_a_problem(tmp_path):
    root = copy_mini(tmp_path)
    catalog = (root / "layers.toml").read_text(encoding="utf-8")
    start = catalog.index("[categories]")
    end = catalog.index("[[layers]]")
    # At the top (a key written after [reach] would belong to that table).
    (root / "layers.toml").write_text('categories = "x"\n' + catalog[:start] + catalog[end:],
                                      encoding="utf-8")
    result = load_catalog(root)
    assert any("[categories] is not a table" in str(p) for p in result.problems)
    assert result.layers


def test_an_open_session_recovers_when_the_catalog_is_truncated_then_restored(
        monkeypatch, tmp_path):
    root = copy_mini(tmp_path)
    catalog = (root / "layers.toml").read_bytes()
    at = run_app(monkeypatch, root)
    assert shown_count(at) == 4
    (root / "layers.toml").write_bytes(catalog[: len(catalog) // 3])
    at.run()
    assert not at.exception and shown_count(at) == 0
    (root / "layers.toml").write_bytes(catalog)
    at.run()
    assert not at.exception
    assert shown_count(at) == 4 and is_on(at, "jasm") and is_on(at, "stations")


def test_a_deleted_catalog_is_noticed_by_an_open_session(monkeypatch, tmp_path):
    root = copy_mini(tmp_path)
    at = run_app(monkeypatch, root)
    (root / "layers.toml").unlink()
    at.run()
    assert not at.exception and shown_count(at) == 0
    assert any("layers.toml: does not exist" in unescape(e.value) for e in at.error)
