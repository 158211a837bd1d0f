"""View -> folium.Map. The only module that speaks folium.

Map features carry only their id, an escaped label and a style key; everything else is
looked up by id on the server when a feature is clicked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
from branca.element import MacroElement
from folium.plugins import Fullscreen, MeasureControl, MiniMap
from jinja2 import Template

from kumamap.basemaps import BASEMAPS
from kumamap.details import escape_text, map_label
from kumamap.filters import LayerView, View
from kumamap.i18n import t
from kumamap.model import Kind, Lang, Layer, Precision, Status

# Leaflet wants [lat, lon]; GeoJSON stores [lon, lat].
JASM_LAT_LON = (32.887, 130.835)
PRESET_VIEWS: dict[str, tuple[tuple[float, float], int]] = {
    "kumamoto": (JASM_LAT_LON, 12),
    "kyushu": ((32.6, 130.8), 7),
    # Small enough to show Prague, Fukuoka and Dallas at once without stretching the others.
    "world": ((38.0, 20.0), 2),
}
DASH_PROSPECTIVE = "8 6"
DASH_SCHEMATIC = "2 5"


@dataclass(frozen=True)
class Assets:
    """Where the map's scripts and stylesheets come from: (name, url) pairs."""

    js: tuple[tuple[str, str], ...]
    css: tuple[tuple[str, str], ...]


def style_key(status: Status, precision: Precision) -> str:
    return f"{status.value}|{precision.value}"


def feature_style(layer: Layer, key: str) -> dict[str, Any]:
    """Leaflet path options for one layer and style key (status|precision)."""
    status, precision = key.split("|")
    is_boundary = layer.kind is Kind.BOUNDARY
    is_schematic = precision == Precision.SCHEMATIC.value
    style: dict[str, Any] = {
        "color": layer.color,
        "fillColor": layer.color,
        "weight": {Kind.LINE: 4, Kind.BOUNDARY: 1.5}.get(layer.kind, 2),
        "opacity": 0.9,
        "fill": layer.kind is not Kind.LINE,
        "fillOpacity": 0.03 if is_boundary else (0.12 if is_schematic else 0.35),
    }
    if Status(status).is_prospective:
        style["dashArray"] = DASH_PROSPECTIVE
    elif is_schematic:
        style["dashArray"] = DASH_SCHEMATIC
    if layer.kind is Kind.POINT:
        style["fillOpacity"] = 0.45 if is_schematic else 0.85
    return style


def layer_geojson(layer_view: LayerView, lang: Lang) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": shown.feature.id,
                "geometry": shown.feature.geometry,
                "properties": {
                    "id": shown.feature.id,
                    "label": map_label(shown.feature, lang),
                    "style": style_key(shown.status, shown.feature.precision),
                },
            }
            for shown in layer_view.shown
        ],
    }


def add_layer(parent: folium.Map | folium.FeatureGroup, layer_view: LayerView, lang: Lang) -> None:
    layer = layer_view.layer
    # Cache styles per key: folium calls the function once per feature.
    styles: dict[str, dict[str, Any]] = {}

    def style_function(feature: dict[str, Any]) -> dict[str, Any]:
        key = feature["properties"]["style"]
        return styles.setdefault(key, feature_style(layer, key))

    folium.GeoJson(
        layer_geojson(layer_view, lang),
        name=layer.id,
        style_function=style_function,
        highlight_function=lambda _feature: {"weight": 5, "fillOpacity": 0.5},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True),
        marker=folium.CircleMarker(radius=7) if layer.kind is Kind.POINT else None,
        control=False,
    ).add_to(parent)


class Legend(MacroElement):
    """A Leaflet control listing the drawn layers; built with textContent, so inert."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var entries = {{ this.entries | tojson }};
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var box = L.DomUtil.create("div", "kumamap-legend");
                box.style.cssText = "background:#fff;padding:6px 8px;border-radius:4px;"
                    + "font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:240px";
                var title = L.DomUtil.create("strong", "", box);
                title.textContent = {{ this.title | tojson }};
                entries.forEach(function (entry) {
                    var row = L.DomUtil.create("div", "kumamap-legend-row", box);
                    var swatch = L.DomUtil.create("span", "", row);
                    swatch.style.cssText = "display:inline-block;width:22px;height:0;margin-right:6px;"
                        + "vertical-align:middle;border-top:3px " + entry.line + " " + entry.color;
                    var label = L.DomUtil.create("span", "", row);
                    label.textContent = entry.label;
                });
                return box;
            };
            legend.addTo({{ this._parent.get_name() }});
            {{ this.attributions | tojson }}.forEach(function (credit) {
                {{ this._parent.get_name() }}.attributionControl.addAttribution(credit);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str, entries: list[dict[str, str]], attributions: list[str]):
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.entries = entries
        self.attributions = attributions


class ViewLink(MacroElement):
    """Keeps the map view in the page URL (lat, lon, z) and offers a "copy link" button.

    Runs in the browser, so panning and zooming update the link without a rerun.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var host = window.parent;
            function viewUrl() {
                var url = new URL(host.location.href);
                var centre = map.getCenter();
                url.searchParams.set("lat", centre.lat.toFixed(5));
                url.searchParams.set("lon", centre.lng.toFixed(5));
                url.searchParams.set("z", String(map.getZoom()));
                return url.toString();
            }
            function remember() {
                try { host.history.replaceState(host.history.state, "", viewUrl()); } catch (e) {}
            }
            map.on("moveend", remember);
            var control = L.control({position: "topright"});
            control.onAdd = function () {
                var box = L.DomUtil.create("div", "leaflet-bar kumamap-copy-link");
                var button = L.DomUtil.create("a", "", box);
                button.href = "#";
                button.setAttribute("role", "button");
                button.title = {{ this.label | tojson }};
                button.textContent = "URL";
                button.style.cssText = "width:auto;padding:0 6px;font:bold 11px sans-serif";
                var field = L.DomUtil.create("input", "", box);
                field.readOnly = true;
                field.style.cssText = "display:none;width:260px;font:11px monospace";
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.on(button, "click", function (event) {
                    L.DomEvent.preventDefault(event);
                    remember();
                    field.value = viewUrl();
                    field.style.display = "block";
                    field.select();
                    if (navigator.clipboard) {
                        navigator.clipboard.writeText(field.value).then(function () {
                            button.textContent = "✓";
                        }, function () {});
                    }
                });
                return box;
            };
            control.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, label: str):
        super().__init__()
        self._name = "ViewLink"
        self.label = label


def legend_entries(layers: tuple[Layer, ...], lang: Lang) -> list[dict[str, str]]:
    entries = [
        {"label": layer.title.pick(lang), "color": layer.color, "line": "solid"}
        for layer in layers
    ]
    entries.append({"label": t("legend_planned", lang), "color": "#555", "line": "dashed"})
    entries.append({"label": t("legend_schematic", lang), "color": "#bbb", "line": "dotted"})
    return entries


def build_base_map(layers: tuple[Layer, ...], lang: Lang, assets: Assets,
                   preset: str = "kumamoto") -> folium.Map:
    """Basemaps, legend and credits of every layer, and controls: no features.

    It changes only with the language and preset, so filtering never rebuilds it: the
    browser keeps the map and swaps only the feature layers (see `layer_groups`).
    """
    center, zoom = PRESET_VIEWS[preset]
    fmap = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True)
    # Per instance, so folium's process-wide CDN defaults stay untouched for other maps.
    fmap.default_js = list(assets.js)
    fmap.default_css = list(assets.css)
    for index, basemap in enumerate(BASEMAPS):
        folium.TileLayer(
            tiles=basemap.url,
            attr=basemap.attribution,
            name=basemap.name,
            max_zoom=basemap.max_zoom,
            show=index == 0,
        ).add_to(fmap)
    credits = sorted({escape_text(layer.attribution) for layer in layers if layer.attribution})
    Legend(t("legend", lang), legend_entries(layers, lang), credits).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    ViewLink(t("copy_link", lang)).add_to(fmap)
    add_controls(fmap)
    return fmap


def layer_groups(view: View, lang: Lang) -> list[folium.FeatureGroup]:
    """One feature group per layer with something to show, in drawing order."""
    groups = []
    for layer_view in view.layers:
        # folium cannot build a tooltip for an empty collection; nothing to draw anyway.
        if layer_view.shown:
            group = folium.FeatureGroup(name=layer_view.layer.id, control=False)
            add_layer(group, layer_view, lang)
            groups.append(group)
    return groups


def build_map(view: View, lang: Lang, assets: Assets, preset: str = "kumamoto") -> folium.Map:
    """The whole map of a filtered view in one piece (for export and tests)."""
    fmap = build_base_map(tuple(lv.layer for lv in view.layers), lang, assets, preset)
    for group in layer_groups(view, lang):
        group.add_to(fmap)
    return fmap


def add_controls(fmap: folium.Map) -> None:
    """Fullscreen, measure and mini-map; their scripts come with the map's own assets."""
    minimap_tiles = folium.TileLayer(BASEMAPS[0].url, attr=BASEMAPS[0].attribution)
    controls = (
        Fullscreen(position="topleft"),
        MeasureControl(position="topleft", primary_length_unit="kilometers",
                       secondary_length_unit="meters", primary_area_unit="hectares"),
        MiniMap(tile_layer=minimap_tiles, position="bottomright", toggle_display=True),
    )
    for control in controls:
        # The map's asset list already holds these plugins' local files, in order.
        control.default_js = []
        control.default_css = []
        control.add_to(fmap)
