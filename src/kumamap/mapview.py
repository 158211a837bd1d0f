"""View -> folium.Map. The only module that speaks folium.

Map features carry only their id, an escaped label and a style key; everything else is
looked up by id on the server when a feature is clicked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
from branca.element import MacroElement
from folium.plugins import Fullscreen, MeasureControl, MiniMap
from jinja2 import Template

from kumamap.basemaps import BASEMAPS
from kumamap.details import escape_text, map_label
from kumamap.filters import LayerView, View
from kumamap.i18n import t
from kumamap.measure import Ring
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


# Leaflet plugins copied from pinned npm packages by scripts/vendor_assets.py.
VENDOR_DIR = Path(__file__).parent / "assets" / "vendor"


def local_assets(leaflet_base: str, vendor_base: str) -> Assets:
    """Leaflet and the plugins the map uses, in load order, under two bases.

    A base is a URL prefix (the page serves the files) or a folder (export inlines them);
    Leaflet comes from the xstatic package's folder, the plugins from assets/vendor.
    """
    return Assets(
        js=(("leaflet", f"{leaflet_base}/leaflet.js"),
            ("fullscreen", f"{vendor_base}/leaflet.fullscreen/Control.FullScreen.js"),
            ("measure", f"{vendor_base}/leaflet-measure/leaflet-measure.min.js"),
            ("minimap", f"{vendor_base}/leaflet-minimap/Control.MiniMap.min.js")),
        css=(("leaflet_css", f"{leaflet_base}/leaflet.css"),
             ("fullscreen_css", f"{vendor_base}/leaflet.fullscreen/Control.FullScreen.css"),
             ("measure_css", f"{vendor_base}/leaflet-measure/leaflet-measure.css"),
             ("minimap_css", f"{vendor_base}/leaflet-minimap/Control.MiniMap.min.css")),
    )


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
        # Points in any layer (e.g. an estate known only as a point) are drawn as vector
        # circles: styled like their layer and independent of marker image files.
        marker=folium.CircleMarker(radius=7),
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


class Rings(MacroElement):
    """Distance rings: thin, non-interactive circles (clicks reach the features below)
    with their radius as a permanent label, set as text, never as HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
            {{ this.rings | tojson }}.forEach(function (ring) {
                L.polygon(ring.latlngs, {interactive: false, fill: false, color: "#37474f",
                    weight: 1.5, opacity: 0.8, dashArray: "4 6", className: "kumamap-ring"})
                    .addTo(group);
                var label = document.createElement("span");
                label.textContent = ring.label;
                L.tooltip({permanent: true, direction: "center", interactive: false,
                           className: "kumamap-ring-label"})
                    .setLatLng(ring.label_at).setContent(label).addTo(group);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, rings: list[dict[str, Any]]):
        super().__init__()
        self._name = "Rings"
        self.rings = rings


class FlyTo(MacroElement):
    """Moves the map to a box once, when its group is added: after a search or "show on
    map". `request` numbers the flights, so asking twice for the same place still flies
    (streamlit-folium re-runs a group's script only when its text changes)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
            // flight {{ this.request }}
            group.once("add", function () {
                group._map.flyToBounds({{ this.bounds | tojson }},
                    {maxZoom: {{ this.max_zoom }}, padding: [40, 40], duration: 0.6});
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], request: int, max_zoom: int):
        super().__init__()
        self._name = "FlyTo"
        self.bounds = bounds
        self.request = request
        self.max_zoom = max_zoom


FLY_MAX_ZOOM = 15  # close enough to see a station among its streets, not closer


def ring_group(rings: Sequence[Ring]) -> folium.FeatureGroup:
    """Distance rings, each labelled with its radius at its northern edge."""
    entries = []
    for ring in rings:
        exterior = ring.polygon["coordinates"][0]
        north = max(exterior, key=lambda lon_lat: lon_lat[1])
        entries.append({
            "latlngs": [[lat, lon] for lon, lat in exterior],
            "label": f"{ring.radius_km:g} km",
            "label_at": [north[1], north[0]],
        })
    group = folium.FeatureGroup(name="reach-rings", control=False)
    Rings(entries).add_to(group)
    return group


def fly_group(bounds: tuple[float, float, float, float], request: int) -> folium.FeatureGroup:
    """A group that only moves the map to (south, west, north, east)."""
    south, west, north, east = bounds
    group = folium.FeatureGroup(name="fly-to", control=False)
    FlyTo([[south, west], [north, east]], request, FLY_MAX_ZOOM).add_to(group)
    return group


def legend_entries(layers: tuple[Layer, ...], lang: Lang) -> list[dict[str, str]]:
    entries = [
        {"label": layer.title.pick(lang), "color": layer.color, "line": "solid"}
        for layer in layers
    ]
    entries.append({"label": t("legend_planned", lang), "color": "#555", "line": "dashed"})
    entries.append({"label": t("legend_schematic", lang), "color": "#bbb", "line": "dotted"})
    return entries


def build_base_map(layers: tuple[Layer, ...], lang: Lang, assets: Assets,
                   preset: str = "kumamoto",
                   view: tuple[tuple[float, float], int] | None = None) -> folium.Map:
    """Basemaps, legend and credits of every layer, and controls: no features.

    It changes only with the language and the starting view (a preset, or `view` =
    ((lat, lon), zoom) from a shared link), so filtering never rebuilds it: the browser
    keeps the map and swaps only the feature layers (see `layer_groups`).
    """
    center, zoom = view or PRESET_VIEWS[preset]
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
    # folium names elements at random; streamlit-folium resends the whole map when its
    # script text changes, so a random name here would resend an unchanged map on every
    # rerun (measured: 129 kB per click on the default data).
    minimap_tiles._id = "minimap"
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
