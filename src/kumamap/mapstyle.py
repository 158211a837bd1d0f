"""How features look on the map and what the legend says about it. Pure: no folium.

Styles depend on (layer, status, precision, origin) only: a feature carries its style key
(status|precision|origin), and the browser looks its Leaflet style up in one table per map
(`style_table`), sent once with the base map; no style is computed per feature.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

from kumamap.i18n import country_name, t
from kumamap.model import Kind, Lang, Layer, Precision, Status

DASH_PROSPECTIVE = "8 6"
DASH_SCHEMATIC = "2 5"
# The fill of a firm's point tells its home country at a glance; strong hues apart from
# the layers' own colours (the outline keeps the layer's colour).
ORIGIN_COLORS = {"TW": "#e53935", "JP": "#1e88e5"}
OTHER_ORIGIN_COLOR = "#43a047"
# A shape under the mouse: thicker and fuller.
HIGHLIGHT = {"weight": 5, "fillOpacity": 0.5}
OTHER_ORIGIN = "other"  # the style key's origin of a firm from a country without its own colour


Shape = Literal["area", "line", "point"]
# Drawing order of shapes, bottom to top: a point is never under a line or an area, a line
# never under an area, whichever layer each belongs to and whenever it was switched on.
SHAPES: tuple[Shape, ...] = ("area", "line", "point")
_SHAPE_OF_GEOMETRY: dict[str, Shape] = {
    "Point": "point", "MultiPoint": "point", "LineString": "line", "MultiLineString": "line",
    "Polygon": "area", "MultiPolygon": "area",
}


def shape_of(geometry: dict[str, Any]) -> Shape:
    """How a GeoJSON geometry is drawn; a collection as its largest kind of member (an
    area with a point inside is an area: drawn below the points of other layers)."""
    if geometry.get("type") == "GeometryCollection":
        members = [shape_of(member) for member in geometry.get("geometries", ())]
        return min(members, key=SHAPES.index, default="area")
    return _SHAPE_OF_GEOMETRY.get(geometry.get("type", ""), "area")


def shape_pane(shape: Shape) -> str:
    """The Leaflet pane holding every layer's pane of one shape."""
    return f"kumamap-{shape}s"


def layer_pane(layer: Layer, shape: Shape) -> str:
    """The Leaflet pane of one layer's shapes of one kind (layer ids are slugs)."""
    return f"kumamap-{shape}s-{layer.id}"


def panes(layers: Iterable[Layer]) -> list[dict[str, Any]]:
    """Every pane the map needs for these layers, parents first: one per shape, stacked
    as SHAPES says, and inside each one per layer, stacked by the catalog's order. A
    pane's place is fixed, so switching a layer off and on cannot lift it above others."""
    shape_panes = [{"name": shape_pane(shape), "parent": "overlayPane", "z_index": rank + 1}
                   for rank, shape in enumerate(SHAPES)]
    return shape_panes + [{"name": layer_pane(layer, shape), "parent": shape_pane(shape),
                           "z_index": layer.order}
                          for layer in layers for shape in SHAPES]


def origin_color(origin: str) -> str:
    return ORIGIN_COLORS.get(origin, OTHER_ORIGIN_COLOR)


def origin_key(origin: str | None) -> str:
    """The origin as far as it shows: its own colour (ORIGIN_COLORS), another origin's
    colour ("other"), or none ("")."""
    if not origin:
        return ""
    return origin if origin in ORIGIN_COLORS else OTHER_ORIGIN


def style_key(status: Status, precision: Precision, origin: str | None = None) -> str:
    return f"{status.value}|{precision.value}|{origin_key(origin)}"


def style_keys(layer: Layer) -> list[str]:
    """Every key a feature of this layer can be drawn with: any status (the year filter
    gives a feature the status it had then), the precisions and origins it has."""
    precisions = [p for p in Precision if any(f.precision is p for f in layer.features)]
    origins = sorted({origin_key(f.origin) for f in layer.features})
    return [style_key(status, precision, origin)
            for status in Status for precision in precisions for origin in origins]


def style_table(layers: Iterable[Layer]) -> dict[str, Any]:
    """The browser's one table of styles: each distinct Leaflet style once (`styles`), per
    layer id its style keys' places in that list (`keys`), and the style under the mouse."""
    styles: list[dict[str, Any]] = []
    places: dict[str, int] = {}
    keys: dict[str, dict[str, int]] = {}
    for layer in layers:
        for key in style_keys(layer):
            style = feature_style(layer, key)
            place = places.setdefault(json.dumps(style, sort_keys=True), len(styles))
            if place == len(styles):
                styles.append(style)
            keys.setdefault(layer.id, {})[key] = place
    return {"styles": styles, "keys": keys, "highlight": HIGHLIGHT}


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


def legend_entries(layers: tuple[Layer, ...], lang: Lang) -> list[dict[str, str]]:
    """The legend of a map that is its own layer switch (an exported map): one row with a
    switch per layer, then the symbols."""
    entries = [{"label": layer.title.pick(lang), "color": layer.color, "line": "solid",
                "layer": layer.id} for layer in layers]
    return entries + symbol_entries(layers, lang)


def symbol_entries(layers: tuple[Layer, ...], lang: Lang) -> list[dict[str, str]]:
    """What fills and dashes mean: the legend of a map whose layers are switched elsewhere
    (the page's sidebar, with each layer's colour beside its switch)."""
    origins = {f.origin for layer in layers for f in layer.features if f.origin}
    named = [code for code in ORIGIN_COLORS if code in origins]
    entries = [{"label": t("legend_origin", lang).format(country=country_name(code, lang)),
                "color": ORIGIN_COLORS[code], "line": "solid"} for code in named]
    if origins - set(named):
        entries.append({"label": t("legend_origin_other", lang), "color": OTHER_ORIGIN_COLOR,
                        "line": "solid"})
    entries.append({"label": t("legend_planned", lang), "color": "#555", "line": "dashed"})
    entries.append({"label": t("legend_schematic", lang), "color": "#bbb", "line": "dotted"})
    return entries
