import json
import re
from pathlib import Path
from unittest import mock

import pytest

from kumamap.assets import Assets
from kumamap.catalog import load_catalog
from kumamap.filters import FilterState, apply_filters
from kumamap.mapdata import layer_geojson
from kumamap.mapstyle import DASH_PROSPECTIVE, feature_style, style_key
from kumamap.mapview import build_map as build_catalog_map
from kumamap.validate import read_feature
from tests.builders import HOSTILE, MINI, raw_feature
from tests.test_details import LAYER

RESULT = load_catalog(MINI)
ASSETS = Assets(js=(("leaflet", "assets/leaflet.js"),), css=(("leaflet_css", "assets/leaflet.css"),))


def build_map(view, lang, assets, preset="kumamoto"):
    return build_catalog_map(view, RESULT.catalog, lang, assets, preset)


def full_view():
    return apply_filters(RESULT.layers, FilterState(layer_ids=frozenset(layer.id for layer in RESULT.layers)))


def test_map_uses_only_local_assets_and_leaves_folium_defaults():
    import folium

    defaults = list(folium.Map.default_js)
    html = build_map(full_view(), "en", ASSETS).get_root().render()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert scripts == ["assets/leaflet.js"]
    assert styles == ["assets/leaflet.css"]
    # The controls (fullscreen, measure, marker clusters) bring no CDN links of their own.
    assert not re.findall(r'(?:src|href)="https?://', html)
    assert folium.Map.default_js == defaults


def test_features_carry_only_id_escaped_texts_and_style():
    view = full_view()
    collection = layer_geojson(view.layers[0].shown, RESULT.catalog, "en")
    keys = {tuple(sorted(f["properties"])) for f in collection["features"]}
    assert keys == {("id", "info", "label", "style")}
    assert collection["features"][1]["properties"] == {
        "id": "jasm-fab2", "label": "JASM Fab 2 (schematic)",
        "info": "Semiconductor fab · under construction · Started 2025-10",
        "style": "under_construction|schematic|",
    }


def test_hostile_label_never_reaches_html_raw():
    texts = {f"name_{lang}": HOSTILE for lang in ("en", "ja", "zh_tw")}
    feature = read_feature(raw_feature(**texts), LAYER)
    from kumamap.filters import LayerView, Shown, View

    view = View((LayerView(LAYER, (Shown(feature, feature.status),)),))
    html = build_map(view, "en", ASSETS).get_root().render()
    assert "<img src=x" not in html and "<svg onload" not in html and "${alert" not in html
    # HTML-escaped once by us, then JSON-escaped by folium inside the script.
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html


def test_prospective_features_are_dashed():
    layer = RESULT.layers[0]
    assert feature_style(layer, "planned|approximate|")["dashArray"] == DASH_PROSPECTIVE
    assert "dashArray" not in feature_style(layer, "operating|approximate|")


def test_legend_and_attribution_are_in_the_script():
    html = build_map(full_view(), "ja", ASSETS).get_root().render()
    # The legend script's options (tojson sorts the keys).
    options, _ = json.JSONDecoder().raw_decode(html, html.index('{"attributions"'))
    legend = options["entries"]
    assert [entry["label"] for entry in legend][:3] == ["JASM", "鉄道", "駅"]
    assert "KumamapScripts.layers(" in html and "Stations: ekidata.jp" in html
    assert "openstreetmap.org/copyright" in html and "maps.gsi.go.jp" in html


def fitted_box(html):
    options, _ = json.JSONDecoder().raw_decode(html, html.index('{"bounds"'))
    return options["bounds"]


def test_preset_views_fit_their_own_features():
    from pathlib import Path as _Path

    geo = load_catalog(_Path(__file__).parent.parent / "geo")
    view = apply_filters(geo.layers, FilterState(layer_ids=frozenset(l.id for l in geo.layers)))
    boxes = {preset: fitted_box(build_catalog_map(view, geo.catalog, "en", ASSETS, preset)
                                .get_root().render())
             for preset in ("kumamoto", "kyushu", "world")}
    (south, west), (north, east) = boxes["world"]
    for lon, lat in ((14.42, 50.09), (130.40, 33.59), (-96.80, 32.78)):  # Prague, Fukuoka, Dallas
        assert south < lat < north and west < lon < east
    (south, west), (north, east) = boxes["kumamoto"]
    assert south < 32.887 < north and west < 130.835 < east and east - west < 1
    (south, west), (north, east) = boxes["kyushu"]
    assert south < 24.5 and north > 34.3  # Okinawa and Yamaguchi


def test_empty_layer_is_skipped_not_an_error():
    view = apply_filters(RESULT.layers, FilterState(layer_ids=frozenset({"jasm"}), text="nothing"))
    html = build_map(view, "en", ASSETS).get_root().render()
    assert "L.geoJson" not in html


def test_the_page_adds_the_link_sync_with_the_link_parameter_names():
    from kumamap.mapview import CLICK_EVENT, LayerSwitch, add_page_sync
    from kumamap.permalink import VIEW_PARAMS

    switch = LayerSwitch(frozenset({"jasm"}), defaults=frozenset({"jasm"}))
    filters = {"category": ["station"], "year": 2022, "text": "</script>"}
    html = add_page_sync(build_map(full_view(), "en", ASSETS), "en", switch, "token", filters
                         ).get_root().render()
    assert "KumamapScripts.page_sync(" in html
    options, _ = json.JSONDecoder().raw_decode(html, html.index('{"click_event"'))
    assert options["view"] == [param.name for param in VIEW_PARAMS]
    assert options["click_event"] == CLICK_EVENT  # heard by the panel (mapclick)
    assert options["layers"] == "layers" and options["filters"] == filters  # escaped
    # The base map holds no request of the server (the page state brings each), so the
    # browser keeps its frame across them; the page adds its flights, numbered by session.
    assert "request" not in options
    assert 'KumamapScripts.flights(' in html and '"session": "token"' in html
    assert '"request"' not in html


def test_map_scripts_are_files_and_values_are_escaped():
    from kumamap.mapview import SCRIPT_DIR, MapScript

    assert {path.stem for path in SCRIPT_DIR.glob("*.js")} >= {"layers", "page_sync", "rings",
                                                               "flights", "basemaps"}
    with pytest.raises(ValueError, match="no script js/nowhere.js"):
        MapScript("nowhere", {})
    fmap = build_map(full_view(), "en", ASSETS)
    MapScript("rings", {"rings": [{"label": "</script><b>x", "latlngs": [], "label_at": [0, 0]}]}
              ).add_to(fmap)
    html = fmap.get_root().render()
    assert "</script><b>x" not in html and "\\u003c/script\\u003e\\u003cb\\u003ex" in html


def test_firms_are_filled_by_origin_and_clustered():
    from pathlib import Path as _Path

    from kumamap.mapstyle import ORIGIN_COLORS, legend_entries

    geo = load_catalog(_Path(__file__).parent.parent / "geo")
    firms = next(layer for layer in geo.layers if layer.id == "firms")
    view = apply_filters(geo.layers, FilterState(layer_ids=frozenset({"firms"})))
    keys = {f["properties"]["style"] for f in layer_geojson(view.layers[0].shown, geo.catalog, "en")["features"]}
    taiwanese = next(key for key in keys if key.endswith("|TW"))
    assert feature_style(firms, taiwanese)["fillColor"] == ORIGIN_COLORS["TW"]
    assert feature_style(firms, taiwanese)["color"] == firms.color
    html = build_map(view, "en", ASSETS).get_root().render()
    assert "L.markerClusterGroup(" in html and "disableClusteringAtZoom" in html
    labels = [entry["label"] for entry in legend_entries(geo.layers, "en")]
    assert "firm from Taiwan (fill)" in labels and "firm from elsewhere (fill)" in labels


def test_every_layer_is_sent_with_its_switch_and_the_requested_ones_start_on():
    html = build_map(full_view(), "en", ASSETS).get_root().render()
    options, _ = json.JSONDecoder().raw_decode(html, html.index('{"attributions"'))
    assert sorted(options["requested"]) == ["jasm", "rail", "stations"]
    switches = [entry["layer"] for entry in options["entries"] if "layer" in entry]
    assert switches == [layer.id for layer in RESULT.layers]
    assert html.count("KumamapScripts.register(") == len(RESULT.layers)


def script_options(html, name):
    """The options of every call of one of our scripts in a rendered map."""
    decoder, calls = json.JSONDecoder(), []
    for match in re.finditer(rf"KumamapScripts\.{name}\([\w]+, ", html):
        calls.append(decoder.raw_decode(html, match.end())[0])
    return calls


def test_a_big_layer_is_drawn_on_a_canvas():
    from dataclasses import replace as _replace

    from kumamap.filters import LayerView, Shown, View
    from kumamap.mapview import CANVAS_FROM

    feature = RESULT.layers[0].features[0]
    many = tuple(Shown(_replace(feature, id=f"f{i}"), feature.status) for i in range(CANVAS_FROM + 1))
    html = build_map(View((LayerView(RESULT.layers[0], many),)), "en", ASSETS).get_root().render()
    assert [shapes["canvas"] for shapes in script_options(html, "shapes")] == [True]
    html = build_map(full_view(), "en", ASSETS).get_root().render()
    assert not any(shapes["canvas"] for shapes in script_options(html, "shapes"))


def test_features_are_styled_in_the_browser_from_one_table():
    """The server computes no style per feature: the groups carry style keys, the base map
    one table with a style for every key a feature can have, whatever the year."""
    from kumamap.mapview import layer_groups
    from kumamap.model import Status
    from kumamap.rawrender import RawMap

    geo = load_catalog(Path(__file__).parent.parent / "geo")
    view = apply_filters(geo.layers, FilterState(layer_ids=frozenset(l.id for l in geo.layers)))
    with mock.patch("kumamap.mapstyle.feature_style", side_effect=AssertionError("per feature")):
        groups = layer_groups(view, geo.catalog, "en")
    fmap = RawMap(tiles=None)
    for group in groups:
        group.add_to(fmap)
    html = fmap.get_root().render()
    assert '"fillColor"' not in html and '"dashArray"' not in html
    (table,) = script_options(build_map(view, "en", ASSETS).get_root().render(), "styles")
    for layer in geo.layers:
        for feature in layer.features:
            for status in Status:
                key = style_key(status, feature.precision, feature.origin)
                assert table["styles"][table["keys"][layer.id][key]] == feature_style(layer, key)


TEMPLATE_TRICKS = "{{ 7*7 }} {% if x %} {# comment {{ broken"


def test_template_syntax_in_the_data_is_neither_evaluated_nor_an_error():
    """folium compiles rendered scripts as Jinja templates: braces from the data must not
    reach them as braces (a feature name, a layer title from an upload's file name)."""
    from dataclasses import replace as _replace

    from kumamap.filters import LayerView, Shown, View

    texts = {f"{base}_{lang}": TEMPLATE_TRICKS for base in ("name", "summary")
             for lang in ("en", "ja", "zh_tw")}
    feature = read_feature(raw_feature(**texts), LAYER)
    layer = _replace(LAYER, title=_replace(LAYER.title, en=TEMPLATE_TRICKS),
                     attribution=TEMPLATE_TRICKS)
    view = View((LayerView(layer, (Shown(feature, feature.status),)),))
    html = build_map(view, "en", ASSETS).get_root().render()
    assert "{{ 7*7 }}" not in html and "{% if" not in html and "{#" not in html
    # The label, escaped for the tooltip's HTML, then JSON-escaped by folium.
    assert "\\u0026#123;\\u0026#123; 7*7 \\u0026#125;\\u0026#125;" in html
    assert "\\u007b\\u007b 7*7 \\u007d\\u007d" in html  # the legend's title, escaped in JSON


def test_script_json_is_json_with_every_string_brace_escaped():
    from kumamap.details import script_json

    value = {"a": [{"b": "{x}</script>'&"}], "n": 1.5, "t": True, "none": None}
    text = script_json(value)
    assert json.loads(text) == value
    assert "{x}" not in text and "</script>" not in text and "'" not in text


def test_an_encoded_part_goes_into_script_json_as_it_is_and_no_data_string_can_stand_for_it():
    from kumamap.details import Encoded, script_json

    inner = {"c": ["{y}</script>"]}
    outer = script_json({"part": Encoded(script_json(inner)), "text": "encoded-0"})
    assert outer == script_json({"part": inner, "text": "encoded-0"})
    assert json.loads(outer) == {"part": inner, "text": "encoded-0"}


LAYER_POINT = {"type": "Point", "coordinates": [130.8, 32.9]}


def rendered_with_compiles(render):
    """What `render()` returns, and the source of every Jinja template branca compiled
    meanwhile (its `Element(text)` compiles `text`)."""
    import branca.element
    import jinja2

    compiled = []

    class Counting(jinja2.Template):
        def __new__(cls, source, *args, **kwargs):
            compiled.append(source)
            return super().__new__(cls, source, *args, **kwargs)

    with mock.patch.object(branca.element, "Template", Counting):
        return render(), compiled


def test_rendering_our_map_compiles_none_of_its_output():
    """Per rerun the page renders the base map and every feature group; branca would compile
    each rendered script (whole GeoJSON layers among them) as a template, unused."""
    from dataclasses import replace as _replace

    from streamlit_folium import _get_feature_group_string  # what st_folium sends per group

    from kumamap.mapview import (
        LayerSwitch,
        add_page_sync,
        build_base_map,
        layer_groups,
        ring_group,
    )
    from kumamap.measure import rings

    # Stations clustered, so that a marker cluster is rendered too.
    view = _replace(full_view(), layers=tuple(
        _replace(lv, layer=_replace(lv.layer, cluster=lv.layer.id == "stations"))
        for lv in full_view().layers))
    layers = tuple(lv.layer for lv in view.layers)
    switch = LayerSwitch(frozenset({"jasm"}))
    fmap = add_page_sync(build_base_map(layers, "en", ASSETS, (32.0, 130.0, 33.0, 131.0), switch),
                         "en", switch, "token", {"text": "${x}"})
    groups = [*layer_groups(view, RESULT.catalog, "en"), ring_group(rings(LAYER_POINT))]

    def render():
        page = fmap.get_root().render()
        return page + "".join(_get_feature_group_string(group, fmap, index)
                              for index, group in enumerate(groups))

    sent, compiled = rendered_with_compiles(render)
    assert not compiled, f"{len(compiled)} compiled, e.g. {compiled[0][:120]!r}"
    assert '"label": "JASM Fab 2 (schematic)"' in sent and "KumamapScripts.shapes(" in sent
    assert "KumamapScripts.register(" in sent and '"label": "10 km"' in sent
    assert "L.markerClusterGroup(" in sent and '"max_zoom": 15' in sent


def test_template_syntax_in_a_layer_is_plain_text_even_unescaped():
    """The data's braces are escaped at the sink (above); even without that, an element of
    ours is sent as rendered, never read as a template."""
    from jinja2 import Template

    from kumamap.rawrender import RawFeatureGroup, RawMap, RawRenderMixin

    class Echo(RawRenderMixin):
        _template = Template("{% macro script(this, kwargs) %}{{ this.text }}{% endmacro %}")

        def __init__(self, text):
            super().__init__()
            self.text = text

    fmap = RawMap(tiles=None)
    group = RawFeatureGroup(name="g").add_to(fmap)
    label = "Fab {{ broken {% if"
    Echo(f'"label": "{label}"').add_to(group)
    assert f'"label": "{label}"' in fmap.get_root().render()


def test_raw_render_comes_after_folium_and_before_branca():
    from branca.element import MacroElement

    from kumamap import mapview, rawrender

    classes = (rawrender.RawMap, rawrender.RawFeatureGroup,
               rawrender.RawMarkerCluster, rawrender.RawFullscreen, rawrender.RawMeasureControl,
               mapview.MapScript)
    for raw in classes:
        order = raw.__mro__
        # Every folium render step (GeoJson's styles, Layer's addTo, JSCSSMixin's links) runs,
        # then ends in ours instead of in branca's.
        assert order.index(rawrender.RawRenderMixin) + 1 == order.index(MacroElement), raw


def test_a_view_with_nothing_to_show_still_sends_a_group_that_empties_the_map():
    from kumamap.mapview import layer_groups
    view = apply_filters(RESULT.layers, FilterState(layer_ids=frozenset()))
    assert len(layer_groups(view, RESULT.catalog, "en")) == 1
    assert "KumamapScripts.no_layers(" in build_map(view, "en", ASSETS).get_root().render()
