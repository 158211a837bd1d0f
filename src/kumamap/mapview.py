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
from folium.plugins import Fullscreen, MarkerCluster, MeasureControl, MiniMap
from jinja2 import Template

from kumamap.basemaps import BASEMAPS
from kumamap.details import escape_text, map_label
from kumamap.filters import LayerView, View
from kumamap.i18n import country_name, t
from kumamap.measure import Ring
from kumamap.model import Kind, Lang, Layer, Precision, Status
from kumamap.permalink import VIEW_PARAMS

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
            ("minimap", f"{vendor_base}/leaflet-minimap/Control.MiniMap.min.js"),
            ("markercluster", f"{vendor_base}/leaflet.markercluster/leaflet.markercluster.js")),
        css=(("leaflet_css", f"{leaflet_base}/leaflet.css"),
             ("fullscreen_css", f"{vendor_base}/leaflet.fullscreen/Control.FullScreen.css"),
             ("measure_css", f"{vendor_base}/leaflet-measure/leaflet-measure.css"),
             ("minimap_css", f"{vendor_base}/leaflet-minimap/Control.MiniMap.min.css"),
             ("markercluster_css", f"{vendor_base}/leaflet.markercluster/MarkerCluster.css"),
             ("markercluster_default_css",
              f"{vendor_base}/leaflet.markercluster/MarkerCluster.Default.css")),
    )


# The fill of a firm's point tells its home country at a glance; strong hues apart from
# the layers' own colours (the outline keeps the layer's colour).
ORIGIN_COLORS = {"TW": "#e53935", "JP": "#1e88e5"}
OTHER_ORIGIN_COLOR = "#43a047"
# Points in a clustered layer stay single from this zoom on (the Kumamoto view's).
UNCLUSTER_ZOOM = 12


def origin_color(origin: str) -> str:
    return ORIGIN_COLORS.get(origin, OTHER_ORIGIN_COLOR)


def style_key(status: Status, precision: Precision, origin: str | None = None) -> str:
    return f"{status.value}|{precision.value}|{origin or ''}"


def feature_style(layer: Layer, key: str) -> dict[str, Any]:
    """Leaflet path options for one layer and style key (status|precision|origin)."""
    status, precision, origin = key.split("|")
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
    if origin:
        style["fillColor"] = origin_color(origin)
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
                    "style": style_key(shown.status, shown.feature.precision,
                                       shown.feature.origin),
                },
            }
            for shown in layer_view.shown
        ],
    }


def add_layer(parent: folium.Map | folium.FeatureGroup | MarkerCluster, layer_view: LayerView,
              lang: Lang) -> None:
    layer = layer_view.layer
    # Cache styles per key: folium calls the function once per feature.
    styles: dict[str, dict[str, Any]] = {}

    def style_function(feature: dict[str, Any]) -> dict[str, Any]:
        key = feature["properties"]["style"]
        return styles.setdefault(key, feature_style(layer, key))

    if layer.cluster:
        # Many firms share a district point near JASM: grouped until the Kumamoto zoom,
        # spread apart when still together at the closest zoom; a click opens one firm.
        parent = MarkerCluster(
            name=f"{layer.id}-cluster", control=False,
            options={"disableClusteringAtZoom": UNCLUSTER_ZOOM, "maxClusterRadius": 40,
                     "showCoverageOnHover": False},
        ).add_to(parent)
        # Its script comes with the map's own assets (no CDN).
        parent.default_js, parent.default_css = [], []
    folium.GeoJson(
        layer_geojson(layer_view, lang),
        name=layer.id,
        style_function=style_function,
        highlight_function=lambda _feature: {"weight": 5, "fillOpacity": 0.5},
        # A sticky tooltip follows the mouse; on a point that a cluster group may remove
        # under the mouse, it would move after the point left the map (a script error).
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=not layer.cluster),
        # Points in any layer (e.g. an estate known only as a point) are drawn as vector
        # circles: styled like their layer and independent of marker image files.
        marker=folium.CircleMarker(radius=7),
        control=False,
    ).add_to(parent)


# The map's own scripts, one file each, read as JavaScript (see js/*.js).
SCRIPT_DIR = Path(__file__).parent / "js"


class MapScript(MacroElement):
    """One of our scripts, called with its parent (map or group) and its options.

    The script file is our code, inserted as it is; every value reaches it only through
    `tojson`, which escapes <, >, & and ' (as folium's own templates do), so nothing from
    the data can end the script or run as code.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}({{ this._parent.get_name() }}, {{ this.options | tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str, options: dict[str, Any]):
        super().__init__()
        self._name = f"MapScript_{name}"
        self.code = (SCRIPT_DIR / f"{name}.js").read_text(encoding="utf-8").strip()
        self.options = options


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
    MapScript("rings", {"rings": entries}).add_to(group)
    return group


def fly_group(bounds: tuple[float, float, float, float], request: int) -> folium.FeatureGroup:
    """A group that only moves the map to (south, west, north, east)."""
    south, west, north, east = bounds
    group = folium.FeatureGroup(name="fly-to", control=False)
    MapScript("fly_to", {"bounds": [[south, west], [north, east]], "request": request,
                         "max_zoom": FLY_MAX_ZOOM}).add_to(group)
    return group


def legend_entries(layers: tuple[Layer, ...], lang: Lang) -> list[dict[str, str]]:
    entries = [
        {"label": layer.title.pick(lang), "color": layer.color, "line": "solid"}
        for layer in layers
    ]
    origins = {f.origin for layer in layers for f in layer.features if f.origin}
    named = [code for code in ORIGIN_COLORS if code in origins]
    entries += [{"label": t("legend_origin", lang).format(country=country_name(code, lang)),
                 "color": ORIGIN_COLORS[code], "line": "solid"} for code in named]
    if origins - set(named):
        entries.append({"label": t("legend_origin_other", lang), "color": OTHER_ORIGIN_COLOR,
                        "line": "solid"})
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
    MapScript("legend", {"title": t("legend", lang), "entries": legend_entries(layers, lang),
                         "attributions": credits}).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    add_controls(fmap)
    return fmap


def add_view_link(fmap: folium.Map, lang: Lang) -> folium.Map:
    """The page's own control: the map view kept in the page URL, and "copy link".

    Only the page adds it; an exported map has no page URL to write to."""
    names = [param.name for param in VIEW_PARAMS]
    MapScript("view_link", {"label": t("copy_link", lang), "names": names}).add_to(fmap)
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
