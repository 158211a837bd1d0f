"""View -> folium.Map. With `rawrender`, the only module that speaks folium.

Map features carry only their id, an escaped label and summary line, and a style key;
everything else is looked up by id on the server when a feature is clicked. The base map
(basemaps, legend and layer switch, controls) is built apart from the feature groups, so
the browser keeps it while filters swap the groups; switching a layer on or off happens in
the browser (js/layers.js) and sends nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
from folium.plugins import MarkerCluster
from jinja2 import Template

from kumamap.assets import Assets
from kumamap.basemaps import BASEMAPS
from kumamap.details import Encoded, escape_text, script_json
from kumamap.filters import LayerView, Shown, View
from kumamap.i18n import t
from kumamap.mapdata import encoded_collection
from kumamap.mapstyle import (
    SHAPES,
    Shape,
    layer_pane,
    legend_entries,
    panes,
    shape_of,
    style_table,
    symbol_entries,
)
from kumamap.measure import Ring
from kumamap.model import Catalog, Lang, Layer
from kumamap.permalink import BY_NAME, VIEW_PARAMS
from kumamap.rawrender import (
    RawFeatureGroup,
    RawFullscreen,
    RawMap,
    RawMarkerCluster,
    RawMeasureControl,
    RawRenderMixin,
)
from kumamap.views import PRESETS, fit_bounds, preset_bounds

Box = tuple[float, float, float, float]  # (south, west, north, east)
# Points in a clustered layer stay single from this zoom on (the Kumamoto view's).
UNCLUSTER_ZOOM = 12
# A layer with more features than this is drawn on a canvas: thousands of SVG paths make
# the first draw and every pan slow (measured: 10,000 paths, 4.1 s to first draw).
CANVAS_FROM = 1_000
POINT_RADIUS = 7  # px of a point's circle
FLY_MAX_ZOOM = 15  # close enough to see a station among its streets, not closer
FIT_MAX_ZOOM = 16  # a preset view of a single small feature stops here
# As long as Leaflet's own zoom animation: a flight still shows where the map went, and a
# story step (the server's run, then the flight) ends within its 0.5 s (issue 22).
FLIGHT_SECONDS = 0.25
MIN_ZOOM, MAX_ZOOM = 1, 19
WORLD_BOX: Box = (-60.0, -170.0, 75.0, 190.0)
# The map's own scripts and styles, one file each (js/*), bundled by bundle.py.
SCRIPT_DIR = Path(__file__).parent / "js"
NARROW_PX = 600  # below this map width the legend starts folded and there is no mini-map
TILE_FAILURES_BEFORE_OUTLINE = 4
# The page's map announces a click on a feature on the page's document by this event, with
# the feature's id (js/page_sync.js); the panel beside the map hears it (mapclick).
CLICK_EVENT = "kumamap:feature-click"
# The page's selection (an id or null), announced by the panel beside the map on every
# change (mapclick): the map's own summary follows it (layers.js `select`).
SELECTED_EVENT = "kumamap:selected"


@dataclass(frozen=True)
class LayerSwitch:
    """Which layers the map shows first: `requested`. In the page the map then follows the
    page state (the server's newest request, and the reader's switching after it, in the
    browser), so the base map holds no request and stays the same frame across them.
    `defaults` are the catalog's (they stay out of the link)."""

    requested: frozenset[str]
    defaults: frozenset[str] = frozenset()
    # Layers the reader may switch; any other (a reader's upload) is always on.
    switchable: frozenset[str] | None = None
    # Whether the legend is the map's layer switch too: in an exported map it is the only
    # one; in the page the sidebar's switch is, and the legend only explains the symbols
    # (each layer is switched in one place).
    in_legend: bool = True


class MapScript(RawRenderMixin):
    """One of our scripts, called with its parent (map or group) and its options.

    The script itself comes with the map frame's bundle (`bundle.py`: `js/<name>.js` as
    `KumamapScripts.<name>`); the map only calls it. Every value reaches it only through
    `details.script_json` (Jinja's `tojson` escaping, and braces in strings too: rendered
    raw, nothing here is compiled as a template, but a folium element would be), so nothing
    from the data can end the script, run as code or be read as a template.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        KumamapScripts.{{ this.script }}({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str, options: dict[str, Any]):
        super().__init__()
        if not (SCRIPT_DIR / f"{name}.js").is_file():
            raise ValueError(f"no script js/{name}.js for MapScript({name!r})")
        self._name = f"MapScript_{name}"
        self.script = name
        self.options = options
        self.options_json = script_json(options)


@functools.cache
def script_text(file: str) -> str:
    """One of our files in js/ that is not part of the map frame's bundle (the page's own
    stylesheet), read once per process."""
    return (SCRIPT_DIR / file).read_text(encoding="utf-8").strip()


def by_shape(layer_view: LayerView) -> dict[Shape, list[Shown]]:
    """A layer's shown features per kind of shape, in drawing order (SHAPES)."""
    groups: dict[Shape, list[Shown]] = {shape: [] for shape in SHAPES}
    for shown in layer_view.shown:
        groups[shape_of(shown.feature.geometry)].append(shown)
    return {shape: features for shape, features in groups.items() if features}


def add_layer(group: folium.FeatureGroup, layer_view: LayerView, catalog: Catalog,
              lang: Lang, version: str | None = None) -> None:
    layer = layer_view.layer
    parent: folium.FeatureGroup | MarkerCluster = group
    if layer.cluster:
        # Many firms share a district point near JASM: grouped until the Kumamoto zoom;
        # a click still opens one firm. The groups' icons lie in the layer's point pane.
        parent = RawMarkerCluster(
            name=f"{layer.id}-cluster", control=False,
            options={"disableClusteringAtZoom": UNCLUSTER_ZOOM, "maxClusterRadius": 40,
                     "showCoverageOnHover": False, "clusterPane": layer_pane(layer, "point")},
        ).add_to(group)
        # Its script comes with the map's own assets (no CDN).
        parent.default_js, parent.default_css = [], []
    is_big = len(layer_view.shown) > CANVAS_FROM
    # One collection per kind of shape, each in the layer's pane for it (mapstyle.panes).
    for shape, shown_features in by_shape(layer_view).items():
        add_shapes(parent, layer, shape,
                   encoded_collection(shown_features, catalog, lang, version), is_big)
    MapScript("register", {"layer": layer.id}).add_to(group)


def add_shapes(parent: folium.FeatureGroup | MarkerCluster, layer: Layer, shape: Shape,
               collection: Encoded, is_big: bool) -> None:
    """One kind of shape of a layer, drawn in the layer's pane for that kind and styled in
    the browser from each feature's style key (js/shapes.js, the base map's style table)."""
    MapScript("shapes", {"layer": layer.id, "pane": layer_pane(layer, shape), "canvas": is_big,
                          "radius": POINT_RADIUS, "collection": collection,
                          # A sticky tooltip follows the mouse; on a point that a cluster
                          # group may remove under the mouse, it would move after the point
                          # left the map (a script error).
                          "sticky": not layer.cluster}).add_to(parent)


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
    group = RawFeatureGroup(name="reach-rings", control=False)
    MapScript("rings", {"rings": entries}).add_to(group)
    return group


def preset_box(layers: Sequence[Layer], preset: str) -> Box:
    """The box of a preset view: its layers' features (views.PRESETS), padded; else all
    the given features; else most of the world."""
    wanted = PRESETS[preset].layers if preset in PRESETS else ()
    chosen = [f.geometry for layer in layers if layer.id in wanted for f in layer.features]
    anything = [f.geometry for layer in layers for f in layer.features]
    for geometries in (chosen, anything):
        if geometries:
            return preset_bounds(geometries, PRESETS[preset].padding if preset in PRESETS else 0.1)
    return WORLD_BOX


def build_base_map(layers: tuple[Layer, ...], lang: Lang, assets: Assets, box: Box,
                   switch: LayerSwitch,
                   view: tuple[tuple[float, float], int] | None = None) -> folium.Map:
    """Basemaps, legend with the layer switch, credits and controls: no features.

    It changes only with the language and the starting view (a preset's `box`, or `view` =
    ((lat, lon), zoom) from a shared link), so neither filtering, switching layers, a
    request of the server (a chapter, a found place) nor a flight rebuilds it.
    """
    south, west, north, east = box
    center, zoom = view or (((south + north) / 2, (west + east) / 2), 5)
    # The zoom range is the map's own: with the outline basemap or no basemap (no tiles)
    # Leaflet would know no maximum, and marker clusters and flights need one. folium
    # hands its min_zoom/max_zoom to the tile layer it makes, so they go in as map options.
    fmap = RawMap(location=center, zoom_start=zoom, tiles=None,
                  minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    # Per instance, so folium's process-wide CDN defaults stay untouched for other maps.
    fmap.default_js = list(assets.js)
    fmap.default_css = list(assets.css)
    MapScript("follow_size", {}).add_to(fmap)
    if view is None:
        MapScript("fit", {"bounds": fit_bounds(box), "max_zoom": FIT_MAX_ZOOM}).add_to(fmap)
    MapScript("basemaps", basemap_options(assets, lang)).add_to(fmap)
    MapScript("styles", style_table(layers)).add_to(fmap)
    # One line per credit, even where two layers share one ("ekidata.jp; Geolonia ...").
    credits = sorted({escape_text(part.strip()) for layer in layers
                      for part in layer.attribution.split(";") if part.strip()})
    switchable = switch.switchable if switch.switchable is not None else {l.id for l in layers}
    MapScript("layers", {
        "title": t("legend", lang),
        "entries": (legend_entries(layers, lang) if switch.in_legend
                    else symbol_entries(layers, lang)),
        "attributions": credits, "requested": sorted(switch.requested),
        "switchable": sorted(switchable), "fold_below": NARROW_PX,
        "folded": not switch.in_legend,
        "lang": lang, "panes": panes(layers),
    }).add_to(fmap)
    add_controls(fmap)
    return fmap


def basemap_options(assets: Assets, lang: Lang) -> dict[str, Any]:
    tiles = [{"name": b.name, "url": b.url, "attribution": b.attribution,
              "max_zoom": b.max_zoom} for b in BASEMAPS]
    return {"tiles": tiles, "outline_url": assets.outline_url,
            "outline_files": assets.outline_files, "outline_name": t("outline_basemap", lang),
            "credit": "Basemap: Natural Earth (public domain)",
            "notice": t("outline_notice", lang), "minimap_from": NARROW_PX,
            "failures_before_outline": TILE_FAILURES_BEFORE_OUTLINE}


def add_page_sync(fmap: folium.Map, lang: Lang, switch: LayerSwitch, session: str,
                  filters: Mapping[str, Any]) -> folium.Map:
    """The page's own controls: the view and the layers kept in the page URL; the layers
    and filters in step with the sidebar through the page state (until there is one, the
    switch's layers and `filters`, as link parameters, js/lib/filters.js); "copy link"; and
    the flights the page asks for (js/flights.js). Only the page adds them; an exported map
    has no page URL to write to and no page state. It also announces each click on a
    feature to the page (CLICK_EVENT), and hears what the page selected (SELECTED_EVENT)."""
    MapScript("page_sync", {
        "label": t("copy_link", lang), "view": [param.name for param in VIEW_PARAMS],
        "layers": BY_NAME["layers"].name, "defaults": sorted(switch.defaults),
        "session": session, "filters": filters, "click_event": CLICK_EVENT,
        "selected_event": SELECTED_EVENT,
    }).add_to(fmap)
    MapScript("flights", {"session": session, "max_zoom": FLY_MAX_ZOOM,
                          "seconds": FLIGHT_SECONDS}).add_to(fmap)
    return fmap


def layer_groups(view: View, catalog: Catalog, lang: Lang,
                 versions: Mapping[str, str] | None = None) -> list[folium.FeatureGroup]:
    """One feature group per layer with something to show, in drawing order; one empty
    group when no layer has anything (so the map drops the last set). `versions` gives the
    data version of each layer whose collections may be cached (see `encoded_collection`)."""
    groups = []
    for layer_view in view.layers:
        # folium cannot build a tooltip for an empty collection; nothing to draw anyway.
        if layer_view.shown:
            group = RawFeatureGroup(name=layer_view.layer.id, control=False)
            add_layer(group, layer_view, catalog, lang,
                      (versions or {}).get(layer_view.layer.id))
            groups.append(group)
    if not groups:
        # No group would arrive, and the map would keep the last set's: an empty one says so.
        empty = RawFeatureGroup(name="no-layers", control=False)
        MapScript("no_layers", {}).add_to(empty)
        groups.append(empty)
    return groups


def build_map(view: View, catalog: Catalog, lang: Lang, assets: Assets,
              preset: str = "kumamoto") -> folium.Map:
    """The whole map of a filtered view in one piece (for export and tests)."""
    layers = tuple(lv.layer for lv in view.layers)
    switch = LayerSwitch(frozenset(layer.id for layer in layers))
    fmap = build_base_map(layers, lang, assets, preset_box(layers, preset), switch)
    for group in layer_groups(view, catalog, lang):
        group.add_to(fmap)
    return fmap


def add_controls(fmap: folium.Map) -> None:
    """Fullscreen and measure; their scripts come with the map's own assets."""
    controls = (
        RawFullscreen(position="topleft"),
        RawMeasureControl(position="topleft", primary_length_unit="kilometers",
                          secondary_length_unit="meters", primary_area_unit="hectares"),
    )
    for control in controls:
        # The map's asset list already holds these plugins' local files, in order.
        control.default_js = []
        control.default_css = []
        control.add_to(fmap)
