from kumamap.cli import main
from tests.builders import MINI, copy_mini


def test_validate_ok(capsys):
    assert main(["validate", str(MINI)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "3 layers, 5 features, 2 events, 0 problems" in captured.err


def test_validate_reports_one_line_per_problem(tmp_path, capsys):
    root = copy_mini(tmp_path)
    (root / "jasm.geojson").write_text("{", encoding="utf-8")
    (root / "rail.geojson").unlink()
    assert main(["validate", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("geo/jasm.geojson: is not valid JSON")
    assert lines[1] == 'geo/rail.geojson: does not exist (layer "rail")'
    assert len(lines) == 4  # and the two timeline events now point at missing features


def test_layers_lists_counts(capsys):
    assert main(["layers", str(MINI)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["jasm", "2"]
    assert len(out) == 3
