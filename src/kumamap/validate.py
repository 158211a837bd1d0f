"""Raw GeoJSON dicts -> typed features, or problems that say what is wrong and where.

Pure: no file I/O (that is `catalog.py`), no Streamlit. A feature with any problem is left
out and reported; the rest of its layer still loads.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from kumamap.model import Event, Feature, Layer, Problem
from kumamap.readers import (
    ID_PATTERN,
    KNOWN_KEYS,
    Invalid,
    is_web_url,
    read_date,
    read_field,
    read_id,
    read_sources,
    read_texts,
    read_titles,
)
from kumamap.schema import FEATURE_FIELDS, FieldKind

# Read here, and taken from here by the modules that check other files the same way.
__all__ = [
    "ID_PATTERN",
    "KNOWN_KEYS",
    "Invalid",
    "check_geometry",
    "is_web_url",
    "read_date",
    "read_events",
    "read_feature",
    "read_field",
    "read_id",
    "read_layer_features",
    "read_sources",
    "read_texts",
    "read_titles",
]

GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)

def _positions(coordinates: Any) -> Iterable[Sequence[Any]]:
    """Every [lon, lat, ...] position in nested GeoJSON coordinates."""
    if not isinstance(coordinates, list):
        return
    if coordinates and not isinstance(coordinates[0], list):
        yield coordinates
    for part in coordinates:
        if isinstance(part, list):
            yield from _positions(part)


def check_geometry(geometry: Any, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """Return the geometry if it is drawable and where the layer expects it."""
    if not isinstance(geometry, dict) or geometry.get("type") is None:
        raise Invalid("no-geometry", "has no geometry")
    if geometry["type"] not in GEOMETRY_TYPES:
        raise Invalid("bad-geometry", f'geometry type "{geometry["type"]}" is not supported')
    for position in _positions(geometry.get("coordinates")):
        if len(position) < 2 or not all(
            isinstance(c, (int, float)) and not isinstance(c, bool) for c in position[:2]
        ):
            raise Invalid("bad-geometry", f"coordinate {position!r} is not [lon, lat]")
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise Invalid(
                "out-of-range",
                f"coordinate [{lon}, {lat}] is outside lon -180..180 / lat -90..90"
                " (latitude and longitude swapped?)",
            )
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as err:
        raise Invalid("bad-geometry", f"geometry cannot be read: {err}") from err
    if geom.is_empty:
        raise Invalid("bad-geometry", "geometry is empty")
    if not geom.is_valid:
        raise Invalid("invalid-geometry", f"geometry is invalid: {explain_validity(geom)}")
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if min_lon < bbox[0] or min_lat < bbox[1] or max_lon > bbox[2] or max_lat > bbox[3]:
        raise Invalid(
            "outside-area",
            f"geometry bounds {[round(b, 4) for b in geom.bounds]} lie outside the layer's"
            f" area {list(bbox)} (latitude and longitude swapped?)",
        )
    return geometry


def read_feature(
    raw: Any, layer: Layer, vocabularies: Mapping[str, Collection[str]] | None = None, *,
    require_provenance: bool = True,
) -> Feature:
    """One raw GeoJSON feature -> Feature; raises Invalid on the first thing wrong.

    Every property is read by its row of the schema. Only a reader's own upload may come
    without sources or a `checked` date (it is theirs, for this session).
    """
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        raise Invalid("not-a-feature", 'is not a GeoJSON object with "type": "Feature"')
    properties = raw.get("properties")
    if not isinstance(properties, dict):
        raise Invalid("missing-field", "has no properties")
    values = {}
    for field in FEATURE_FIELDS:
        if field.is_provenance and not require_provenance:
            field = replace(field, required=False)
        values[field.name] = read_field(properties, field, vocabularies or {})
        if field.kind is FieldKind.TEXT and not values[field.name]:
            raise Invalid("missing-field", f'"{field.name}" must be a non-empty string')
    return Feature(
        layer_id=layer.id,
        geometry=check_geometry(raw.get("geometry"), layer.bbox),
        extra=tuple((k, v) for k, v in properties.items() if k not in KNOWN_KEYS),
        **values,
    )


def read_layer_features(
    data: Any, layer: Layer, taken_ids: set[str], name: str,
    vocabularies: Mapping[str, Collection[str]] | None = None, *, require_provenance: bool = True,
) -> tuple[tuple[Feature, ...], tuple[Problem, ...]]:
    """A parsed FeatureCollection -> its valid features and the problems of the others.

    `taken_ids` holds ids already used by earlier layers and is extended here, so a
    duplicate id is caught across the whole catalog.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return (), (Problem(name, "not-a-collection", "is not a GeoJSON FeatureCollection"),)
    raw_features = data.get("features")
    if not isinstance(raw_features, list):
        return (), (Problem(name, "not-a-collection", '"features" is not a list'),)
    features: list[Feature] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_features):
        properties = raw.get("properties") if isinstance(raw, dict) else None
        raw_id = properties.get("id") if isinstance(properties, dict) else None
        label = raw_id if isinstance(raw_id, str) and raw_id else None
        try:
            feature = read_feature(raw, layer, vocabularies, require_provenance=require_provenance)
        except Invalid as err:
            problems.append(Problem(name, err.code, str(err), label, index))
            continue
        if feature.id in taken_ids:
            problems.append(
                Problem(name, "duplicate-id", "id is already used", feature.id, index)
            )
            continue
        taken_ids.add(feature.id)
        features.append(feature)
    return tuple(features), tuple(problems)


def read_events(data: Any, file: str) -> tuple[tuple[Event, ...], tuple[Problem, ...]]:
    """The timeline file -> events sorted by date, and problems of the broken ones."""
    raw_events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(raw_events, list):
        return (), (Problem(file, "not-a-timeline", '"events" is not a list'),)
    events: list[Event] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_events):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            read_id(raw_id)
            date = read_date(raw.get("date"), "date")
            if date is None:
                raise Invalid("bad-date", "has no date")
            related = raw.get("features", [])
            if not isinstance(related, list) or not all(isinstance(i, str) for i in related):
                raise Invalid("bad-value", '"features" must be a list of feature ids')
            events.append(
                Event(raw_id, date, read_texts(raw, "title", required=True), tuple(related),
                      read_sources(raw.get("sources")))
            )
        except Invalid as err:
            label = raw_id if isinstance(raw_id, str) and raw_id else None
            problems.append(Problem(file, err.code, str(err), label, index, item="event"))
    return tuple(sorted(events, key=lambda event: event.date)), tuple(problems)
