import base64
import csv
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from kumamap.catalog import WORLD, load_catalog
from kumamap.assets import BUNDLE_DIR, BUNDLE_JS, local_assets
from kumamap.export import (
    BYTE_ORDER_MARK,
    FORMATS,
    export,
    to_csv,
    to_geojson,
    to_html,
)
from kumamap.filters import FilterState, LayerView, Shown, View, apply_filters
from kumamap.validate import KNOWN_KEYS, read_feature, read_layer_features
from tests.builders import MINI, PAYLOADS, raw_feature, write_hostile

RESULT = load_catalog(MINI)
ALL_LAYERS = frozenset(layer.id for layer in RESULT.layers)
# Where an exported collection is read back: it mixes layers, so it may lie anywhere.
ANYWHERE = replace(RESULT.layers[0], id="export", bbox=WORLD, features=())


def view_of(**state) -> View:
    layer_ids = state.pop("layers", ALL_LAYERS)
    return apply_filters(RESULT.layers, FilterState(layer_ids=layer_ids, **state))


def view_with(*raw_features) -> View:
    """A one-layer view of raw features, each shown with its own status."""
    features = [read_feature(raw, ANYWHERE) for raw in raw_features]
    return View((LayerView(ANYWHERE, tuple(Shown(f, f.status) for f in features)),))


def geojson_properties(view: View) -> dict[str, dict]:
    collection = json.loads(to_geojson(view, "en"))
    return {f["id"]: f["properties"] for f in collection["features"]}


def csv_rows(view: View, lang="en") -> list[dict[str, str]]:
    text = to_csv(view, lang)
    assert text.startswith(BYTE_ORDER_MARK)
    return list(csv.DictReader(text.removeprefix(BYTE_ORDER_MARK).splitlines()))


def test_geojson_round_trips_through_validation():
    view = view_of()
    features, problems = read_layer_features(json.loads(to_geojson(view, "en")), ANYWHERE,
                                             set(), "export.geojson")
    assert not problems, "\n".join(map(str, problems))
    originals = [shown.feature for layer_view in view.layers for shown in layer_view.shown]
    assert len(features) == len(originals) == 5
    for read_back, original in zip(features, originals, strict=True):
        # Only what the export adds comes back as extra properties.
        assert dict(read_back.extra).keys() == {"layer", "layer_title"}
        assert replace(read_back, layer_id=original.layer_id, extra=()) == original
        assert read_back.geometry == original.geometry


def test_geojson_has_every_schema_property_and_the_layer():
    properties = geojson_properties(view_of())
    assert all(KNOWN_KEYS <= set(p) for p in properties.values())
    fab1 = properties["jasm-fab1"]
    assert fab1["layer"] == "jasm" and fab1["precision"] == "approximate"
    assert fab1["precision_m"] == 1500 and fab1["area_ha"] == 21.3
    assert fab1["sources"][0]["url"] == "https://www.taiwannews.com.tw/news/4341008"
    # Absent optional values are null, never invented.
    assert fab1["planned_year"] is None and fab1["note_en"] is None


def test_geojson_status_is_the_one_shown_in_the_chosen_year():
    properties = geojson_properties(view_of(year=2023))
    assert properties["jasm-fab1"]["status"] == "under_construction"
    assert properties["jasm-fab1"]["data_status"] == "operating"
    assert "data_status" not in properties["st-haramizu"]
    assert "jasm-fab2" not in properties  # announced in 2024


def test_geojson_keeps_extra_properties_and_text_verbatim():
    view = view_with(raw_feature(name_en=PAYLOADS[0], length_km=12.5))
    (properties,) = geojson_properties(view).values()
    assert properties["name_en"] == PAYLOADS[0]
    assert properties["length_km"] == 12.5


def test_geojson_re_export_replaces_what_an_earlier_export_added():
    earlier = raw_feature(layer="old-layer", layer_title="Old", data_status="planned")
    (properties,) = geojson_properties(view_with(earlier)).values()
    assert (properties["layer"], properties["layer_title"]) == ("export", "JASM")
    assert "data_status" not in properties  # shown as in the data now


@pytest.mark.parametrize("fmt", FORMATS)
def test_filtered_out_features_are_not_exported(fmt):
    view = view_of(layers=frozenset({"jasm", "stations"}), text="fab 1")
    text, _name, _mime = export(view, "en", fmt)
    assert "jasm-fab1" in text
    for hidden in ("jasm-fab2", "st-haramizu", "rail-hohi"):
        assert hidden not in text


def test_csv_has_status_precision_point_and_sources():
    two_sources = [{"url": f"https://example.org/{n}", "title": f"Title {n}", "publisher": "P",
                    "date": "2024"} for n in (1, 2)]
    rows = csv_rows(view_with(raw_feature(sources=two_sources, status="planned")))
    assert len(rows) == 1
    row = rows[0]
    assert row["layer"] == "export" and row["id"] == "test-zone" and row["status"] == "planned"
    assert (row["precision"], row["precision_m"], row["area_ha"]) == ("approximate", "1500", "21.3")
    assert row["source_urls"] == "https://example.org/1 | https://example.org/2"
    assert row["source_titles"] == "Title 1 | Title 2"
    # The representative point of the test square (builders.SQUARE), to 6 decimals.
    assert (row["lon"], row["lat"]) == ("130.835", "32.885")


def test_csv_speaks_the_language_and_the_year():
    rows = {row["id"]: row for row in csv_rows(view_of(year=2023), "ja")}
    assert rows["jasm-fab1"]["name"] == "JASM 熊本第1工場"
    assert rows["jasm-fab1"]["name_en"] == "JASM Fab 1"
    assert (rows["jasm-fab1"]["status"], rows["jasm-fab1"]["status_label"]) == (
        "under_construction", "建設中")
    assert rows["jasm-fab1"]["data_status"] == "operating"
    assert rows["st-haramizu"]["data_status"] == ""


def test_csv_cells_cannot_start_a_formula():
    texts = {"name_en": "=HYPERLINK(\"https://evil.example\",\"x\")", "category": "+1+1",
             "summary_en": "@SUM(A1)", "note_en": "-2+3",
             "sources": [{"url": "https://example.org/a", "title": "\t=1+1", "publisher": "p",
                          "date": "2024"}]}
    dallas = {"type": "Point", "coordinates": [-96.797, 32.7767]}
    (row,) = csv_rows(view_with(raw_feature(geometry=dallas, **texts)))
    assert row["name"] == "'=HYPERLINK(\"https://evil.example\",\"x\")"
    assert (row["category"], row["summary"], row["note"]) == ("'+1+1", "'@SUM(A1)", "'-2+3")
    assert row["source_titles"] == "'\t=1+1"
    # Numbers are ours, not the data's text: a negative longitude stays a number.
    assert row["lon"] == "-96.797"


def test_local_asset_files_exist():
    files = local_assets(str(BUNDLE_DIR))
    missing = [path for _name, path in files.js + files.css if not Path(path).is_file()]
    assert not missing


def test_html_inlines_the_bundled_script_and_stylesheet():
    html = to_html(view_of(), "en")
    scripts = re.findall(r'<script src="([^"]*)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]*)"', html)
    assert len(scripts) == 1 and len(styles) == 1
    assert scripts[0].startswith("data:text/javascript;base64,")
    assert styles[0].startswith("data:text/css;base64,")
    bundled = base64.b64decode(scripts[0].split(",", 1)[1]).decode("utf-8")
    assert bundled == (BUNDLE_DIR / BUNDLE_JS).read_text(encoding="utf-8")
    assert not re.search(r'<(?:script|link)\b[^>]*(?:src|href)="(?:https?:)?//', html)


def test_html_has_no_page_only_control():
    """The view link writes the page URL; an exported file has no page to write to."""
    html = to_html(view_of(), "en")
    assert "KumamapScripts.layers(" in html
    assert "KumamapScripts.page_sync(" not in html


def test_html_has_the_shown_features_and_the_preset():
    html = to_html(view_of(layers=frozenset({"jasm"})), "en", "world")
    assert '"id": "jasm-fab1"' in html and '"id": "jasm-fab2"' in html
    assert "st-haramizu" not in html
    # The world preset's own layer is not in this view: it fits what the view has.
    options, _ = json.JSONDecoder().raw_decode(html, html.index('{"bounds"'))
    (south, west), (north, east) = options["bounds"]
    assert south < 32.887 < north and west < 130.835 < east


def test_html_escapes_hostile_text(tmp_path):
    result = load_catalog(write_hostile(tmp_path))
    view = apply_filters(result.layers, FilterState(frozenset(layer.id for layer in result.layers)))
    html = to_html(view, "en")
    assert '"id": "hostile"' in html
    for raw in ("<img src=x", "<script>alert(2)", "<svg onload", "${alert(4)}", "`backtick`"):
        assert raw not in html, raw


@pytest.mark.parametrize(("fmt", "mime"), [("geojson", "application/geo+json"),
                                           ("csv", "text/csv"), ("html", "text/html")])
def test_export_names_the_file_and_type(fmt, mime):
    _text, name, returned_mime = export(view_of(), "en", fmt)
    assert name == f"kumamap.{fmt}"
    assert returned_mime == mime


def test_export_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="format 'pdf' not in"):
        export(view_of(), "en", "pdf")
