import csv
import json
from pathlib import Path

import pytest

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
    assert "(0 / 1 / 1 exact / approximate / schematic)" in out[0]
    assert len(out) == 3


def exported_ids(text: str) -> set[str]:
    return {feature["id"] for feature in json.loads(text)["features"]}


def test_export_geojson_to_file_holds_the_layers_shown_at_start(tmp_path, capsys):
    out = tmp_path / "shown.geojson"
    assert main(["export", "--format", "geojson", "-o", str(out), str(MINI)]) == 0
    # rail is hidden when the page opens (visible = false in layers.toml).
    assert exported_ids(out.read_text(encoding="utf-8")) == {
        "jasm-fab1", "jasm-fab2", "st-haramizu", "st-new-kikuyo"}
    assert "4 features as geojson" in capsys.readouterr().err


@pytest.mark.parametrize(("filters", "expected"), [
    (["--layer", "all"], {"jasm-fab1", "jasm-fab2", "rail-hohi", "st-haramizu", "st-new-kikuyo"}),
    (["--layer", "rail", "--layer", "jasm"], {"jasm-fab1", "jasm-fab2", "rail-hohi"}),
    (["--layer", "all", "--status", "operating", "--year", "2023"], {"rail-hohi", "st-haramizu"}),
    (["--category", "station", "--prefecture", "43"], {"st-haramizu", "st-new-kikuyo"}),
    (["--text", "HARAMIZU"], {"st-haramizu"}),
])
def test_export_applies_the_filters(capsys, filters, expected):
    assert main(["export", "--format", "geojson", str(MINI), *filters]) == 0
    assert exported_ids(capsys.readouterr().out) == expected


def test_export_csv_to_stdout_in_the_chosen_language(capsys):
    assert main(["export", "--format", "csv", "--lang", "ja", "--year", "2023", str(MINI)]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.lstrip("\ufeff").splitlines()))
    fab1 = next(row for row in rows if row["id"] == "jasm-fab1")
    assert (fab1["name"], fab1["status"], fab1["data_status"]) == (
        "JASM 熊本第1工場", "under_construction", "operating")
    assert fab1["source_urls"] == "https://www.taiwannews.com.tw/news/4341008"


def test_export_html_is_standalone(tmp_path):
    out = tmp_path / "map.html"
    args = ["export", "--format", "html", "-o", str(out), "--preset", "kyushu", str(MINI)]
    assert main(args) == 0
    html = out.read_text(encoding="utf-8")
    assert '<script src="data:text/javascript;base64,' in html
    assert '"id": "st-haramizu"' in html and "rail-hohi" not in html
    assert '{"bounds": [[' in html  # the map fits its features on opening


@pytest.mark.parametrize(("args", "message"), [
    (["--layer", "railways"],
     "--layer: unknown 'railways' (choose from all, jasm, rail, stations)"),
    (["--status", "planed"], "argument --status: invalid choice: 'planed'"),
    (["--lang", "de"], "argument --lang: invalid choice: 'de'"),
    (["--category", "fabs"], "--category: unknown 'fabs' (choose from fab, rail, station)"),
    (["--prefecture", "13"], "--prefecture: unknown '13' (choose from 43)"),
    (["--preset", "mars"], "argument --preset: invalid choice: 'mars'"),
])
def test_export_rejects_unknown_values_naming_the_valid_ones(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "csv", str(MINI), *args])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_export_needs_a_known_format(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "pdf", str(MINI)])
    assert exit_info.value.code == 2
    assert "invalid choice: 'pdf' (choose from 'geojson', 'csv', 'html')" in capsys.readouterr().err


def test_export_with_allow_problems_writes_the_rest_and_says_what_is_left_out(tmp_path, capsys):
    root = copy_mini(tmp_path)
    (root / "stations.geojson").unlink()
    assert main(["export", "--format", "geojson", "--allow-problems", str(root)]) == 0
    captured = capsys.readouterr()
    assert exported_ids(captured.out) == {"jasm-fab1", "jasm-fab2"}
    assert 'left out: geo/stations.geojson: does not exist (layer "stations")' in captured.err


@pytest.mark.parametrize("layers", [["--layer", "jasm"], ["--layer", "all"], []])
def test_export_over_broken_layers_keeps_the_old_file_byte_for_byte(tmp_path, capsys, layers):
    root = copy_mini(tmp_path)
    out = tmp_path / "fabs.geojson"
    assert main([*export_to(out, root), *layers]) == 0
    before = out.read_bytes()
    (root / "jasm.geojson").write_bytes((root / "jasm.geojson").read_bytes()[:500])
    assert main([*export_to(out, root), *layers]) == 1
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fabs.geojson", "geo"]
    err = capsys.readouterr().err
    assert "geo/jasm.geojson: is not valid JSON" in err
    assert err.splitlines()[-1] == (f"kumamap: 1 problems in the exported layers (above); nothing "
                                    f"written to {out}, an earlier file is kept (--allow-problems "
                                    "writes the rest)")


def test_export_of_other_layers_is_written_despite_a_broken_one(tmp_path, capsys):
    root = copy_mini(tmp_path)
    (root / "rail.geojson").write_text("{", encoding="utf-8")
    assert main(["export", "--format", "geojson", "--layer", "jasm", str(root)]) == 0
    captured = capsys.readouterr()
    assert exported_ids(captured.out) == {"jasm-fab1", "jasm-fab2"}
    assert "geo/rail.geojson: is not valid JSON" in captured.err


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


def export_to(out, root=MINI) -> list[str]:
    return ["export", "--format", "geojson", "-o", str(out), str(root)]


@pytest.mark.parametrize("root", ["missing", "empty"])
def test_export_from_a_missing_or_broken_catalog_keeps_the_old_file(tmp_path, capsys, root):
    (tmp_path / "empty").mkdir()
    out = tmp_path / "kept.geojson"
    out.write_text("earlier export", encoding="utf-8")
    assert main(export_to(out, tmp_path / root)) == 1
    assert out.read_text(encoding="utf-8") == "earlier export"
    assert {p.name for p in tmp_path.iterdir()} == {"empty", "kept.geojson"}
    expected = {"missing": f"kumamap: {tmp_path / 'missing'}: no such folder (expected a data "
                           "folder with layers.toml)",
                "empty": "kumamap: empty/layers.toml: does not exist; nothing written"}
    assert one_error_line(capsys) == expected[root]


def test_export_replaces_a_file_whole_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "map.geojson"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert main(export_to(out)) == 0
    assert exported_ids(out.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["map.geojson"]
    assert out.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, capsys, monkeypatch):
    out = tmp_path / "map.geojson"
    out.write_text("old", encoding="utf-8")

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kumamap.cli.os.replace", full_disk)
    assert main(export_to(out)) == 1
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.geojson"]
    assert one_error_line(capsys).endswith("No space left on device; nothing written")


@pytest.mark.parametrize(("target", "message"), [
    ("nowhere/out.geojson", "{tmp}/nowhere/out.geojson: the folder {tmp}/nowhere does not exist;"
                            " nothing written"),
    (".", "{tmp}: is a folder; give a file name to write to"),
    ("/dev/full", "/dev/full: No space left on device; nothing written"),
])
def test_export_write_failures_are_one_line(tmp_path, capsys, target, message):
    out = Path(target) if target.startswith("/") else tmp_path / target
    assert main(export_to(out.resolve() if target == "." else out)) == 1
    assert one_error_line(capsys) == "kumamap: " + message.format(tmp=tmp_path)


@pytest.mark.parametrize(("args", "message"), [
    (["validate", "/etc/passwd"],
     "kumamap: /etc/passwd: is not a folder (expected a data folder with layers.toml)"),
    (["layers", "{tmp}/missing"],
     "kumamap: {tmp}/missing: no such folder (expected a data folder with layers.toml)"),
    (["validate", "{tmp}/missing"],
     "kumamap: {tmp}/missing: no such folder (expected a data folder with layers.toml)"),
])
def test_a_folder_that_is_not_there_is_one_line(tmp_path, capsys, args, message):
    assert main([arg.format(tmp=tmp_path) for arg in args]) == 1
    assert one_error_line(capsys) == message.format(tmp=tmp_path)


def test_layers_says_why_when_the_catalog_is_missing(tmp_path, capsys):
    assert main(["layers", str(tmp_path)]) == 1
    assert one_error_line(capsys) == f"{tmp_path.name}/layers.toml: does not exist"
